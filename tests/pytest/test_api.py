"""The read-only HTTP API (scripts/api.py) on a published snapshot: real values of the seed document, CSV, the
guarded SQL endpoint refusing the hostile corpus, and requests that go on while the marts are re-published."""
from __future__ import annotations

import json
import sys
from decimal import Decimal
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from api import Readers, serve  # noqa: E402
from publish import publish  # noqa: E402

HOSTILE = yaml.safe_load((Path(__file__).parent / "fixtures" / "hostile_sql.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def api(warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    publish(warehouse.db_path, out, ROOT)
    server = serve(out, 0, max_rows=500, timeout=1.0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers["Content-Type"], r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read().decode("utf-8")


def post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict | str]:
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode("utf-8")
            return r.status, json.loads(text) if r.headers["Content-Type"].startswith("application/json") else text
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode("utf-8"))


def test_units_and_their_years(api):
    base, _ = api
    status, kind, text = get(base + "/api/units")
    assert status == 200 and kind == "application/json; charset=utf-8"
    units = {u["unit_code"]: u for u in json.loads(text)["units"]}
    assert units["WH-KJJ-XMZX"]["unit_name"] == "武汉市科技项目管理服务中心"
    assert [(y["fiscal_year"], y["detail_level"]) for y in units["WH-KJJ-XMZX"]["years"]] == [(2023, "summary"),
                                                                                              (2024, "full")]


def test_one_printed_table_as_json_and_as_csv(api):
    base, _ = api
    status, _, text = get(base + "/api/units/WH-KJJ-XMZX/years/2024/tables/01")
    table = json.loads(text)
    assert status == 200 and (table["table_no"], table["title"]) == ("公开01表", "收入支出决算总表")
    first = table["rows"][0]
    assert (first["line_no"], first["item_name"], first["income_amount"]) == (1, "一、一般公共预算财政拨款收入", "1553.97")
    status, kind, text = get(base + "/api/units/WH-KJJ-XMZX/years/2024/tables/" + quote("公开06表") + "?format=csv")
    lines = text.splitlines()
    assert status == 200 and kind == "text/csv; charset=utf-8"
    assert lines[0] == "line_no,subject_code,item_name,cost_type,amount,derived_columns"
    assert lines[1] == "1,301,工资福利支出,人员经费,853.84,"


def test_a_trend_series(api):
    base, _ = api
    status, _, text = get(base + "/api/trend?unit=WH-KJJ-XMZX&measure=expenditure_total")
    rows = json.loads(text)["rows"]
    assert status == 200
    assert [(r["fiscal_year"], r["amount"], r["change_amount"], r["growth_rate_pct"]) for r in rows] == [
        (2023, "1423.94", None, None), (2024, "1553.97", "130.03", "9.1")]


@pytest.mark.parametrize("path, status, message", [
    ("/api/units/NOPE/years/2024/tables/01", 404, "no unit-year NOPE 2024"),
    ("/api/units/WH-KJJ-XMZX/years/2024/tables/10", 404, "no printed table 公开10"),
    ("/api/trend", 400, "give ?unit=UNIT_CODE"),
    ("/api/nothing", 404, "no endpoint /api/nothing"),
])
def test_a_wrong_request_says_why(api, path, status, message):
    base, _ = api
    got, _, text = get(base + path)
    assert got == status and message in json.loads(text)["error"]


def test_sql_as_json_and_as_text_gives_exact_amounts(api):
    base, _ = api
    sql = ("select fiscal_year, amount from marts.mart_totals_trend where unit_code = 'WH-KJJ-XMZX' "
           "and measure_code = 'expenditure_total' order by 1")
    status, body = post(base + "/api/sql", json.dumps({"sql": sql}).encode())
    assert status == 200 and body["types"] == ["INTEGER", "DECIMAL(18,2)"]
    assert body["rows"] == [{"fiscal_year": 2023, "amount": "1423.94"}, {"fiscal_year": 2024, "amount": "1553.97"}]
    status, text = post(base + "/api/sql?format=csv", sql.encode(), "text/plain")
    assert status == 200 and text.splitlines() == ["fiscal_year,amount", "2023,1423.94", "2024,1553.97"]


def test_every_hostile_statement_is_refused_over_http(api):
    base, out = api
    before = sorted(p.name for p in out.rglob("*"))
    for case in HOSTILE:
        status, body = post(base + "/api/sql", json.dumps({"sql": case["sql"]}).encode())
        assert status == 400 and body["error"].startswith("refused: ") and case["expect"] in body["error"], case
    status, body = post(base + "/api/sql", b"x" * (3 * 1024 * 1024), "text/plain")
    assert status == 413 and "at most" in body["error"]
    status, body = post(base + "/api/sql", b'{"query": 1}')
    assert status == 400 and body["error"] == 'a JSON body must be {"sql": "select …"}'
    assert sorted(p.name for p in out.rglob("*")) == before


def test_requests_go_on_while_the_marts_are_republished(api, warehouse):
    base, out = api
    errors: list[str] = []
    seen: set[str] = set()
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            status, _, text = get(base + "/api/units/WH-KJJ-XMZX/years/2024/tables/01")
            body = json.loads(text)
            if status != 200 or body["rows"][0]["income_amount"] != "1553.97":
                errors.append(text[:300])
            seen.add(body.get("snapshot"))

    readers = [threading.Thread(target=loop) for _ in range(2)]
    for r in readers:
        r.start()
    try:
        ids = [publish(warehouse.db_path, out, ROOT).manifest["snapshot"] for _ in range(3)]
    finally:
        stop.set()
        for r in readers:
            r.join()
    assert errors == []
    assert len(seen) >= 2 and None not in seen  # the loop went on across publishes, every answer said its snapshot
    assert json.loads(get(base + "/api/snapshot")[2])["snapshot"] == ids[-1]  # the next request reads the newest


def test_a_request_reads_its_snapshot_however_many_publishes_happen_meanwhile(api, warehouse):
    """A request that began on one snapshot reads it to its end while two more are published and read by other
    requests (the connection of a snapshot is closed when no request reads it, not when two newer ones exist);
    once it ends, only the newest snapshot's connection stays open."""
    _, out = api
    readers = Readers(out)
    sql = "select income_amount from marts.gongkai_01 where unit_code = 'WH-KJJ-XMZX' and fiscal_year = 2024 " \
          "and line_no = 1"
    with readers.reading() as (first, slow):
        newer = []
        for _ in range(2):
            publish(warehouse.db_path, out, ROOT)
            with readers.reading() as (snap, cur):
                assert cur.execute(sql).fetchall()[0][0] == Decimal("1553.97")
                newer.append(snap)
        assert len({first.folder, *(s.folder for s in newer)}) == 3
        assert slow.execute(sql).fetchall()[0][0] == Decimal("1553.97")  # still open, on its own snapshot
        assert list(readers.open) == [first.folder, newer[-1].folder]   # the middle one, unused, is closed
    assert list(readers.open) == [newer[-1].folder]
