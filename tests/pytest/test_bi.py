"""Apache Superset on the published warehouse (scripts/bi.py, bi/assets): installed into .venv-bi (cached), initialised
into a temporary home, served on a free 127.0.0.1 port. The dashboard renders every chart in headless Chromium,
each chart's data API returns what a direct DuckDB query of the marts returns, and five builds that publish
while charts are queried give no error, no half build, and the last one is seen at once."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import PUBLISHING, ROOT, DbtRun, copy_project

pytestmark = pytest.mark.slow

BI = [sys.executable, str(ROOT / "scripts" / "bi.py")]
BUILD = [sys.executable, str(ROOT / "scripts" / "build.py")]
ASSETS = ROOT / "bi" / "assets"


# ------------------------------------------------------------------------------------------- publishing
sys.path.insert(0, str(ROOT / "scripts"))
from publish import publish  # noqa: E402  (the build's own publish step)
import bi  # noqa: E402


@pytest.fixture(scope="module")
def published(warehouse: DbtRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """<folder>/published/ holding a snapshot of the test warehouse, where a build of <folder>/juesuan.duckdb
    publishes too; returns the path through `current`."""
    root = tmp_path_factory.mktemp("bi-warehouse") / "published"
    publish(warehouse.db_path, root, ROOT)
    return root / "current" / "juesuan.duckdb"


# ------------------------------------------------------------------------------------------------ server
@pytest.fixture(scope="module")
def bi_installed() -> None:
    started = time.monotonic()
    proc = subprocess.run([*BI, "install"], capture_output=True, text=True, timeout=3600, check=False)
    if proc.returncode != 0:
        pytest.skip("Superset could not be installed into .venv-bi (scripts/bi.py install): "
                    + (proc.stdout + proc.stderr)[-1500:])
    print(f"bi install: {time.monotonic() - started:.0f} s", file=sys.stderr)


@pytest.fixture(scope="module")
def bi_server(bi_installed: None, published: Path, tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("bi-home")
    started = time.monotonic()
    init = subprocess.run([*BI, "init", "--home", str(home), "--db", str(published)], capture_output=True,
                          text=True, timeout=900, check=False)
    assert init.returncode == 0, (init.stdout + init.stderr)[-5000:]
    print(f"bi init: {time.monotonic() - started:.0f} s", file=sys.stderr)
    with bi.serving(home, bi.free_port(), home / "serve.log") as base:
        yield {"url": base, "home": home, "db": published}


class Api:
    def __init__(self, base: str):
        self.base = base
        self.token = self.call("/api/v1/security/login", {"username": "admin", "password": "admin",
                                                           "provider": "db", "refresh": False})["access_token"]

    def call(self, path: str, data: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if getattr(self, "token", None) else {}
        body = None
        if data is not None:
            body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{path}: HTTP {e.code}: {e.read().decode()[:2000]}") from None


@pytest.fixture(scope="module")
def api(bi_server: dict) -> Api:
    return Api(bi_server["url"])


def chart_key_by_uuid() -> dict[str, str]:
    return {yaml.safe_load(p.read_text(encoding="utf-8"))["uuid"]: p.stem for p in (ASSETS / "charts").glob("*.yaml")}


@pytest.fixture(scope="module")
def charts(api: Api) -> dict[str, int]:
    """chart file name in bi/assets/charts -> chart id on the server (every chart of the dashboard)."""
    keys = chart_key_by_uuid()
    q = urllib.parse.quote("(columns:!(id,uuid,slice_name),page_size:100)")
    found = {keys[c["uuid"]]: c["id"] for c in api.call(f"/api/v1/chart/?q={q}")["result"] if c["uuid"] in keys}
    assert set(found) == set(keys.values()), f"charts missing on the server: {set(keys.values()) - set(found)}"
    on_dashboard = {c["id"] for c in api.call("/api/v1/dashboard/juesuan/charts")["result"]}
    assert on_dashboard == set(found.values())
    return found


# ------------------------------------------------------------------- what each chart must show, from DuckDB
SERIES_LIMIT = yaml.safe_load((ASSETS / "charts" / "totals_line.yaml").read_text(encoding="utf-8"))["params"]["limit"]
BREAKDOWN_ZH = """case s.breakdown when 'gpb_by_class' then '一般公共预算支出按类' when 'income_by_source' then '收入按来源'
                  when 'gpb_basic_by_cost_type' then '基本支出按经济分类' when 'expenditure_by_nature' then '支出按性质'
                  else s.breakdown end"""
EXPECTED = {
    # the units of the largest 本年支出合计 over all years (as many as the chart's series limit), over the years
    "totals_line": f"""with top as (select unit_name from marts.mart_totals_trend where measure_code = 'expenditure_total'
                                   group by unit_name order by sum(amount) desc limit {SERIES_LIMIT})
                      select fiscal_year, unit_name, sum(amount) from marts.mart_totals_trend
                      where measure_code = 'expenditure_total' and unit_name in (select unit_name from top)
                      group by all""",
    "totals_table": """select u.department_name, t.unit_name, t.fiscal_year, t.measure_name_zh, t.amount,
                              t.prior_year_amount, t.change_amount, t.growth_rate_pct
                       from marts.mart_totals_trend t left join marts.dim_units u using (unit_code)
                       where t.measure_code in ('income_total', 'expenditure_total')""",
    "class_bar": """select fiscal_year, subject_name, sum(amount) from marts.mart_expenditure_trend
                    where subject_level = '类' group by all""",
    "structure_table": f"""select u.unit_name, s.fiscal_year, {BREAKDOWN_ZH}, s.item_name, s.amount, s.share_pct
                           from marts.mart_expenditure_structure s left join marts.dim_units u using (unit_code)""",
    "budget_execution_table": """select u.unit_name, b.fiscal_year, coalesce(b.subject_name, '合计'), b.budget_amount,
                                        b.final_amount, b.execution_rate_pct,
                                        case when b.execution_rate_pct < 90 then '低于90%' else '' end
                                 from marts.mart_budget_execution b left join marts.dim_units u using (unit_code)""",
    "member_growth_table": """select u.department_name, t.fiscal_year,
                                     rank() over (partition by u.department_code, t.fiscal_year
                                                  order by t.growth_rate_pct desc nulls last),
                                     t.unit_name, t.amount, t.prior_year_amount, t.growth_rate_pct
                              from marts.mart_totals_trend t join marts.dim_units u using (unit_code)
                              where t.measure_code = 'expenditure_total' and t.unit_code <> u.department_code""",
    "sangong_bar": """select f.fiscal_year, case f.phase when 'BUDGET' then '预算数' when 'FINAL' then '决算数'
                             else f.phase end, i.item_name, sum(f.amount)
                      from marts.fct_sangong f left join marts.dim_sangong_items i using (item_code) group by all""",
    "findings_count": "select count(*) from audit.findings",
    "findings_by_rule": """select rule_id, rule_name, severity, status, count(*) from audit.findings group by all""",
}


def normal(value):
    """A chart API value (JSON number) and a DuckDB value (Decimal, int) compared exactly: numbers as Decimal
    from their shortest text, which for amounts of two decimals is the amount itself."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).normalize()
    return value


def rows_of_api(result: dict) -> list[tuple]:
    return sorted((tuple(normal(row[c]) for c in result["colnames"]) for row in result["data"]), key=repr)


def rows_of_duckdb(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted((tuple(normal(v) for v in row) for row in con.execute(sql).fetchall()), key=repr)


def chart_data(api: Api, chart_id: int) -> dict:
    payload = api.call(f"/api/v1/chart/{chart_id}/data/")
    [result] = payload["result"]
    assert result.get("error") is None, result
    return result


# ---------------------------------------------------------------------------------------------- the tests
def dashboard_tabs() -> list[tuple[str, set[str]]]:
    """The dashboard's tabs in order, as bi/assets lays them out: (title, the charts in it by their file name in
    bi/assets/charts)."""
    position = yaml.safe_load((ASSETS / "dashboards" / "juesuan.yaml").read_text(encoding="utf-8"))["position"]
    [tabs] = [v for v in position.values() if isinstance(v, dict) and v.get("type") == "TABS"]

    def charts_under(node_id: str) -> set[str]:
        node = position[node_id]
        return ({chart_key_by_uuid()[node["meta"]["uuid"]]} if node["type"] == "CHART"
                else set().union(*(charts_under(c) for c in node.get("children", []))))

    return [(position[t]["meta"]["text"], charts_under(t)) for t in tabs["children"]]


def test_the_first_tab_holds_few_charts_and_the_tabs_hold_every_chart(charts: dict[str, int]) -> None:
    """The first view is the 总览 tab with two charts (what its load time is measured on); every chart of the
    dashboard is on exactly one tab."""
    tabs = dashboard_tabs()
    assert tabs[0][0] == "总览" and len(tabs[0][1]) == 2
    keys = [key for _, keys in tabs for key in keys]
    assert sorted(keys) == sorted(charts) and tabs[0][1] == {"findings_count", "totals_line"}


def test_workers_warm_up_before_serving(bi_server: dict, charts: dict[str, int]) -> None:
    """Each gunicorn worker opened every chart of the dashboard once before its first request (bi/gunicorn_conf.py),
    without a failure."""
    warm = [line for line in (bi_server["home"] / "serve.log").read_text(errors="replace").splitlines()
            if "warm-up" in line]
    assert len(warm) == bi.workers(), warm
    assert all(f"warm-up: {len(charts)} charts in " in line and "failed" not in line for line in warm), warm


def test_the_server_stops_when_whoever_started_it_is_killed(bi_server: dict, tmp_path: Path) -> None:
    """A process serving through bi.serving() (a test run, a benchmark) killed with SIGKILL, so that its cleanup
    never runs: gunicorn and its workers stop too instead of serving on."""
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); import bi; from pathlib import Path\n"
            "with bi.serving(Path(sys.argv[2]), bi.free_port(), Path(sys.argv[3])) as base:\n"
            "    print(base, flush=True); time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, "-c", code, str(ROOT / "scripts"), str(bi_server["home"]),
                               str(tmp_path / "serve.log")], stdout=subprocess.PIPE, text=True)
    base = parent.stdout.readline().strip()
    assert base.startswith("http://127.0.0.1:"), (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
    with urllib.request.urlopen(f"{base}/health", timeout=10) as r:
        assert r.status == 200
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/health", timeout=2).close()
        except OSError:
            break  # nothing listens any more
        assert time.monotonic() < deadline, "gunicorn still serves 30 s after the process that started it died"
        time.sleep(0.5)
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Handling signal: term" in log, log[-3000:]  # stopped by the signal, not by a crash


def test_dashboard_renders_every_chart(bi_server: dict, charts: dict[str, int], tmp_path: Path) -> None:
    png = tmp_path / "dashboard.png"
    started = time.monotonic()
    proc = subprocess.run([*BI, "screenshot", "--url", bi_server["url"], "--out", str(png), "--timeout", "120"],
                          capture_output=True, text=True, timeout=300, check=False)
    state = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {}
    assert proc.returncode == 0 and state.get("ready"), (proc.stdout[-3000:], proc.stderr[-3000:])
    assert state["charts"] == state["drawn"] == len(charts) and not state["errors"], state
    # the first view is the first tab, its charts only; each tab opened drew its own charts, none timed out
    tabs = dashboard_tabs()
    assert [t["title"] for t in state["tabs"]] == [title for title, _ in tabs]
    assert [(t["charts"], t["drawn"], t["timed_out"]) for t in state["tabs"]] == [(len(keys), len(keys), False)
                                                                                  for _, keys in tabs]
    assert state["first_view_charts"] == len(tabs[0][1]) and all(0 < t["seconds"] < 120 for t in state["tabs"])
    assert png.stat().st_size > 50_000, "the screenshot is nearly empty"
    for i in range(2, len(tabs) + 1):
        assert (tmp_path / f"dashboard-tab{i}.png").stat().st_size > 20_000
    # nothing leaves the machine: Superset's menu renders a usage pixel (scarf.sh) that the CSP must block
    unblocked = [r["url"] for r in state["external_requests"] if not r["blocked"]]
    assert not unblocked, f"the dashboard page fetched from outside: {unblocked}"
    text = state["text"]
    for title in ["单位决算分析", *(yaml.safe_load(p.read_text(encoding="utf-8"))["slice_name"]
                                     for p in (ASSETS / "charts").glob("*.yaml"))]:
        assert title in text, f"{title} is not on the dashboard"
    # tables show amounts in 万元 with two decimals and thousands separators
    with duckdb.connect(str(bi_server["db"]), read_only=True) as con:
        [(amount,)] = con.execute("select max(amount) from marts.mart_totals_trend "
                                  "where measure_code = 'expenditure_total'").fetchall()
    assert f"{amount:,.2f}" in text
    print(f"screenshot {png} in {time.monotonic() - started:.1f} s", file=sys.stderr)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_chart_data_equals_duckdb(key: str, api: Api, charts: dict[str, int], bi_server: dict) -> None:
    result = chart_data(api, charts[key])
    expected = rows_of_duckdb(bi_server["db"], EXPECTED[key])
    assert rows_of_api(result) == expected
    assert result["rowcount"] == len(expected)


def test_chart_data_is_cached_per_published_snapshot(api: Api, charts: dict[str, int], bi_server: dict,
                                                     warehouse: DbtRun) -> None:
    """The second ask for a chart's data is answered from the cache (bi/snapshot_cache.py), equal to DuckDB's; a
    publish switches `current` and the next ask is not answered from the cache but from the new snapshot, whose
    answer is then cached in its turn. The cache files sit in the home's cache/ folder."""
    db: Path = bi_server["db"]
    chart = charts["totals_table"]
    first, second = chart_data(api, chart), chart_data(api, chart)
    assert second["is_cached"] and rows_of_api(second) == rows_of_api(first) == rows_of_duckdb(db, EXPECTED["totals_table"])
    assert any((bi_server["home"] / "cache").iterdir())
    before = db.parent.resolve()
    publish(warehouse.db_path, db.parent.parent, ROOT)
    assert db.parent.resolve() != before
    after, again = chart_data(api, chart), chart_data(api, chart)
    assert not after["is_cached"] and again["is_cached"]
    assert rows_of_api(after) == rows_of_api(again) == rows_of_duckdb(db, EXPECTED["totals_table"])


def test_export_gives_back_the_assets(bi_server: dict, tmp_path: Path) -> None:
    """bi/assets is what Superset exports after importing it: `bi.py export` on the test server writes the same
    files, byte for byte, with the placeholder for the database path (whatever --db the home was given)."""
    out = tmp_path / "assets"
    out.mkdir()
    shutil.copy(ASSETS / "metadata.yaml", out / "metadata.yaml")  # export keeps it (only its timestamp would change)
    for path in ASSETS.rglob("*.yaml"):  # export keeps each asset's file name, matched by its uuid
        (out / path.relative_to(ASSETS)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, out / path.relative_to(ASSETS))
    proc = subprocess.run([*BI, "export", "--home", str(bi_server["home"]), "--out", str(out)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    mine = {str(p.relative_to(ASSETS)): p.read_text(encoding="utf-8") for p in ASSETS.rglob("*.yaml")}
    exported = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.yaml")}
    assert exported.keys() == mine.keys()
    assert [name for name in mine if exported[name] != mine[name]] == []
    assert "__PUBLISHED_DB__" in exported["databases/juesuan_published.yaml"]


def test_every_chart_has_a_check() -> None:
    assert set(chart_key_by_uuid().values()) == set(EXPECTED)


def test_five_builds_while_the_dashboard_is_queried(api: Api, charts: dict[str, int], bi_server: dict,
                                                   tmp_path: Path) -> None:
    """Five builds in a row with scripts/build.py (the first full, then incremental, each adding a unit-year as
    a bulk batch), each publishing into the folder Superset reads, while a loop queries three charts. No query
    fails, and every answer is exactly a complete build's (the snapshot published before the test or one of the
    five), never an older one than an answer before it: no half build is ever seen. The last build is what the
    next query sees."""
    db: Path = bi_server["db"]
    warehouse = db.parent.parent.parent / "juesuan.duckdb"  # build.py publishes into published/ beside it
    project = copy_project(tmp_path / "project")
    bulk = tmp_path / "bulk"
    gen = [sys.executable, str(ROOT / "scripts" / "generate_synthetic.py"), "--out", str(bulk)]
    subprocess.run([*gen, "--units", "8", "--years", "2023-2024"], check=True, capture_output=True)
    keys = ("totals_table", "class_bar", "findings_count")

    def expected(snapshot: Path) -> dict[str, list[tuple]]:
        return {key: rows_of_duckdb(snapshot / "juesuan.duckdb", EXPECTED[key]) for key in keys}

    states = [expected(db.parent.resolve())]  # what is published before the first build
    answers: list[tuple[str, list[tuple]]] = []
    errors: list[str] = []
    done = threading.Event()

    def query_loop() -> None:
        while not done.is_set():
            for key in keys:
                try:
                    answers.append((key, rows_of_api(chart_data(api, charts[key]))))
                except Exception as e:  # noqa: BLE001 - every failure is reported
                    errors.append(f"{key}: {e}")

    thread = threading.Thread(target=query_loop)
    thread.start()
    try:
        for i in range(5):
            if i:  # a new unit-year arrives as a batch beside the data
                subprocess.run([*gen, "--units", "1", "--years", "2024", "--first-unit", str(7 + i), "--department",
                                "S-D00000", "--batch", f"add{i}", "--seed", str(i)], check=True, capture_output=True)
            run = subprocess.run([*BUILD, "--project-dir", str(project), "--db", str(warehouse), "--dbt-arg=--vars",
                                  "--dbt-arg=" + json.dumps({"bulk_dir": str(bulk)})],
                                 capture_output=True, text=True, cwd=project, env=PUBLISHING, timeout=900)
            assert run.returncode == 0 and "build: publish: " in run.stdout, (run.stdout + run.stderr)[-4000:]
            assert ("build: full" if i == 0 else "build: incremental") in run.stdout
            states.append(expected(db.parent.resolve()))
    finally:
        done.set()
        thread.join(timeout=120)
    assert not errors, errors[:5]
    assert len(answers) >= 30, f"only {len(answers)} chart queries ran during the five builds"
    assert all(a != b for a, b in zip(states, states[1:])), "each build must change what the charts show"
    floor = 0  # the oldest build an answer may still come from
    for n, (key, rows) in enumerate(answers):
        matching = [i for i in range(floor, len(states)) if states[i][key] == rows]
        assert matching, (f"answer {n} of {key} ({len(rows)} rows) is no complete build's, or an older build's "
                          f"than one seen before it")
        floor = matching[0]
    for key in keys:
        assert rows_of_api(chart_data(api, charts[key])) == states[-1][key], f"{key} does not show the last build"
    # more units than the trend chart's series limit: it shows that many, the largest
    line = rows_of_api(chart_data(api, charts["totals_line"]))
    assert line == rows_of_duckdb(db, EXPECTED["totals_line"])
    with duckdb.connect(str(db), read_only=True) as con:
        [(units,)] = con.execute("select count(distinct unit_name) from marts.mart_totals_trend").fetchall()
    assert units > SERIES_LIMIT and len({row[1] for row in line}) == SERIES_LIMIT, (units, line)
