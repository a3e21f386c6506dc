#!/usr/bin/env python3
"""Apache Superset on the published warehouse: its own locked environment, a local server, dashboards as code.

    scripts/bi.py install      create .venv-bi from bi/requirements.txt pinned by bi/requirements.lock (idempotent)
    scripts/bi.py init         metadata DB, secret key, admin user, then import bi/assets/ (under warehouse/bi/)
    scripts/bi.py serve        start Superset on 127.0.0.1 (port 8088 unless --port)
    scripts/bi.py screenshot   log in with headless Chromium, open the dashboard, save a PNG once every chart drew
    scripts/bi.py export       write the dashboard as edited in the UI back to bi/assets/
    scripts/bi.py lock         re-resolve bi/requirements.txt and rewrite bi/requirements.lock

Superset reads the published snapshot (warehouse/published/current/juesuan.duckdb, --db) through a read-only
DuckDB connection that is opened per query, so a re-publish (the `current` link switched) is seen at once.
Only the standard library is used here; Superset runs as a separate process from .venv-bi.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lockedenv import LockedEnv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BI = ROOT / "bi"
ASSETS = BI / "assets"
REQUIREMENTS = BI / "requirements.txt"
LOCK = BI / "requirements.lock"
VENV = Path(os.environ.get("JUESUAN_BI_VENV") or ROOT / ".venv-bi")
DEFAULT_HOME = ROOT / "warehouse" / "bi"
DEFAULT_DB = ROOT / "warehouse" / "published" / "current" / "juesuan.duckdb"
DATABASE_NAME = "juesuan_published"  # databases/<name>.yaml in bi/assets
DB_PLACEHOLDER = "__PUBLISHED_DB__"
DASHBOARD_SLUG = "juesuan"
UUID_LINE = re.compile(r"^uuid: ['\"]?([0-9a-f-]{36})", re.MULTILINE)
# the database's URI in an export: the file's path (whichever --db the home was initialised with) goes back to
# the placeholder
DB_URI_LINE = re.compile(r"^(sqlalchemy_uri: duckdb:///)([^?\n]+)", re.MULTILINE)
ADMIN_USER, ADMIN_PASSWORD = "admin", "admin"  # a local-only server on 127.0.0.1


def log(message: str) -> None:
    print(f"bi: {message}", file=sys.stderr, flush=True)


def venv_python() -> Path:
    return VENV / "bin" / "python"


def superset_env(home: Path) -> dict[str, str]:
    return {**os.environ, "SUPERSET_CONFIG_PATH": str(BI / "superset_config.py"), "JUESUAN_BI_HOME": str(home),
            "FLASK_APP": "superset", "SUPERSET_LOAD_EXAMPLES": "no", "PYTHONUNBUFFERED": "1",
            # nothing may be fetched: pip inside the venv and Hugging Face style hubs stay offline
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "HF_HUB_OFFLINE": "1"}


def superset(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run one `superset` CLI command from .venv-bi with our configuration; its output is kept for errors."""
    proc = subprocess.run([str(VENV / "bin" / "superset"), *args], env=superset_env(home), cwd=home,
                          capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"bi: `superset {' '.join(args)}` failed ({proc.returncode})")
    return proc


# --------------------------------------------------------------------------------------------------- install
ENV = LockedEnv("bi", VENV, REQUIREMENTS, LOCK, "bin/superset")


def installed() -> bool:
    """.venv-bi has Superset and was installed from exactly this requirements.txt and lock."""
    return ENV.installed()


def cmd_install(args: argparse.Namespace) -> int:
    ENV.install(args.python, args.force)
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    """Resolve bi/requirements.txt afresh in a scratch venv and write its pip freeze as bi/requirements.lock."""
    ENV.relock(args.python, "scripts/bi.py")
    return 0


def require_venv() -> None:
    if not (VENV / "bin" / "superset").exists():
        raise SystemExit(f"bi: {VENV} has no Superset: run `scripts/bi.py install` first")


# ------------------------------------------------------------------------------------------------------ init
def database_uri(db: Path) -> str:
    # the path as given (through the `current` link), not resolved: each connection opens the current snapshot
    return f"duckdb:///{db}?access_mode=read_only"


IMPORT_CODE = """
import json, sys
from superset.app import create_app
app = create_app()
with app.app_context():
    from superset import security_manager
    from superset.commands.importers.v1.assets import ImportAssetsCommand
    from superset.utils.core import override_user
    contents = json.load(sys.stdin)
    with override_user(security_manager.find_user(username=sys.argv[1])):
        ImportAssetsCommand(contents).run()
    print(f"imported {len(contents)} files")
"""

EXPORT_CODE = """
import json, sys
from superset.app import create_app
app = create_app()
with app.app_context():
    from superset import security_manager
    from superset.commands.export.assets import ExportAssetsCommand
    from superset.utils.core import override_user
    with override_user(security_manager.find_user(username=sys.argv[1])):
        files = {name: content() for name, content in ExportAssetsCommand().run()}
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\\n" in value else None)

    Dumper.add_representer(str, text)
    # the same YAML with Chinese as text (not \\u escapes) and SQL as a block, so that `git diff bi/assets` reads
    files = {name: yaml.dump(yaml.safe_load(content), Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)
             if name.endswith(".yaml") else content for name, content in files.items()}
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(files, out)
"""


def superset_python(home: Path, code: str, *args: str, stdin: str | None = None) -> str:
    """Run Python inside Superset's application (from .venv-bi); returns its standard output."""
    proc = subprocess.run([str(venv_python()), "-c", code, *args], env=superset_env(home), cwd=home,
                          input=stdin, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-6000:])
        raise SystemExit(f"bi: Superset's Python failed ({proc.returncode})")
    return proc.stdout


def asset_contents(db: Path) -> dict[str, str]:
    """bi/assets/ as the {path: YAML} bundle Superset's asset import takes, the database path filled in."""
    return {str(path.relative_to(ASSETS)): path.read_text(encoding="utf-8").replace(DB_PLACEHOLDER, str(db))
            for path in sorted(ASSETS.rglob("*.yaml"))}


def cmd_init(args: argparse.Namespace) -> int:
    require_venv()
    home: Path = args.home
    db: Path = args.db
    started = time.monotonic()
    if args.reset and (home / "superset.db").exists():
        (home / "superset.db").unlink()
        log(f"removed {home / 'superset.db'}")
    home.mkdir(parents=True, exist_ok=True)
    if not db.exists():
        log(f"warning: {db} does not exist yet (publish the warehouse first); charts fail until it does")
    key = home / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_urlsafe(48) + "\n", encoding="utf-8")
        key.chmod(0o600)
        log(f"wrote a new secret key to {key}")
    log("superset db upgrade")
    superset(home, "db", "upgrade")
    proc = superset(home, "fab", "create-admin", "--username", ADMIN_USER, "--firstname", "管理", "--lastname", "员",
                    "--email", "admin@localhost", "--password", ADMIN_PASSWORD, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit("bi: creating the admin user failed")
    log("superset init (roles and permissions)")
    superset(home, "init")
    import_assets(home, db)
    log(f"initialised {home} in {time.monotonic() - started:.0f} s; `scripts/bi.py serve` starts the server "
        f"(login {ADMIN_USER}/{ADMIN_PASSWORD})")
    return 0


def import_assets(home: Path, db: Path) -> None:
    """Import every file of bi/assets/, overwriting the database, datasets, charts and dashboard of the same
    UUIDs (Superset's asset import, the one meant for assets under source control)."""
    import json
    contents = asset_contents(db)
    # the published file as given (through `current`): the chart data cache and the connections pin the snapshot it
    # points at per request (bi/snapshot_cache.py)
    (home / "published_db").write_text(f"{db}\n", encoding="utf-8")
    log(f"importing {ASSETS.relative_to(ROOT)} ({len(contents)} files; database {database_uri(db)})")
    superset_python(home, IMPORT_CODE, ADMIN_USER, stdin=json.dumps(contents))


def cmd_import(args: argparse.Namespace) -> int:
    require_venv()
    import_assets(args.home, args.db)
    return 0


# ------------------------------------------------------------------------------------------------ serve
def cmd_serve(args: argparse.Namespace) -> int:
    require_venv()
    home: Path = args.home
    if not (home / "superset.db").exists():
        raise SystemExit(f"bi: {home} is not initialised: run `scripts/bi.py init` first")
    log(f"Superset on http://127.0.0.1:{args.port}/superset/dashboard/{DASHBOARD_SLUG}/ "
        f"(login {ADMIN_USER}/{ADMIN_PASSWORD}); Ctrl-C stops it")
    # gunicorn (in the lock, Superset's production server): worker processes answer a dashboard's chart queries
    # side by side, where Flask's threaded server runs them under one GIL (docs/bi.md has the load times)
    # each worker opens the dashboard once before its first request (bi/gunicorn_conf.py: the first reader after
    # a start no longer meets a cold worker)
    cmd = [str(VENV / "bin" / "gunicorn"), "--config", str(BI / "gunicorn_conf.py"), "--bind",
           f"127.0.0.1:{args.port}", "--workers", str(workers(args.workers)), "--worker-class", "gthread",
           "--threads", "4", "--timeout", "120", "--access-logfile", "-", "superset.app:create_app()"]
    os.chdir(home)
    os.execve(cmd[0], cmd, {**superset_env(home), "JUESUAN_BI_USER": ADMIN_USER,
                            "JUESUAN_BI_DASHBOARD": DASHBOARD_SLUG})


def workers(asked: int = 0) -> int:
    """gunicorn worker processes: as asked, else one per core, at most 4."""
    return asked or min(4, os.cpu_count() or 2)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on now (for tests and benchmarks)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop_with_parent() -> None:
    """Run in the server's child process before it starts: the kernel sends it SIGTERM when the process that
    started it dies (Linux PR_SET_PDEATHSIG, kept across exec), so a test run or benchmark that is killed does not
    leave gunicorn serving behind it. Elsewhere a no-op."""
    import ctypes
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def serving(home: Path, port: int, log_file: Path, wait: float = 120.0) -> Iterator[str]:
    """`serve` as a child process in its own process group, for tests and benchmarks: yields the base URL once
    /health answers, stops the server (the whole group) on leaving."""
    import urllib.request
    with log_file.open("w") as out:
        server = subprocess.Popen([sys.executable, __file__, "serve", "--home", str(home), "--port", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                  preexec_fn=_stop_with_parent)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + wait
            while True:  # /health answers once one worker has warmed up; then wait for the others' warm-up
                try:
                    with urllib.request.urlopen(f"{base}/health", timeout=5) as r:
                        healthy = r.status == 200
                except OSError:
                    healthy = False
                if healthy and log_file.read_text(errors="replace").count("warm-up") >= workers():
                    break
                if server.poll() is not None:
                    raise RuntimeError(f"Superset stopped (exit {server.returncode}): "
                                       + log_file.read_text(errors="replace")[-5000:])
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Superset did not answer /health and warm up in {wait:.0f} s: "
                                       + log_file.read_text(errors="replace")[-5000:])
                time.sleep(0.5)
            yield base
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


# ------------------------------------------------------------------------------------------- screenshot
SCREENSHOT_WAIT_JS = """
// the charts of the tab on view (a visited tab's charts stay in the page, hidden);
// `all` counts every chart drawn so far
const holders = [...document.querySelectorAll('.dashboard-component-chart-holder')];
const visible = holders.filter(h => h.getClientRects().length > 0);
let drawn = 0, all = 0; const errors = [];
for (const h of holders) {
  const loading = h.querySelector('.loading, [data-test="loading-indicator"], [aria-label="loading"]');
  const error = h.querySelector('[role="alert"], .alert-danger, [data-test="error-message"]');
  const body = h.querySelector('canvas, svg, table, .superset-legacy-chart-big-number, .big_number,'
                               + ' [data-test="no-results"], .no-results, [data-test="emptystate"], .ant-empty');
  const ok = !error && !loading && body;
  if (error && visible.includes(h)) errors.push((h.innerText || '').slice(0, 200));
  if (ok) { all += 1; if (visible.includes(h)) drawn += 1; }
}
return {ready: visible.length > 0 && drawn + errors.length === visible.length, charts: visible.length, drawn: drawn,
        all: all, holders: holders.length, errors: errors};
"""

TABS_JS = """
return [...document.querySelectorAll('.dashboard-component-tabs [role="tab"]')].map(t => (t.innerText || '').trim());
"""

CLICK_TAB_JS = """
const tab = [...document.querySelectorAll('.dashboard-component-tabs [role="tab"]')][arguments[0]];
tab.click(); return (tab.innerText || '').trim();
"""


TIMELINE_JS = """
const nav = performance.getEntriesByType('navigation')[0] || {};
return {dom_content_loaded: Math.round(nav.domContentLoadedEventEnd || 0), load: Math.round(nav.loadEventEnd || 0),
        requests: performance.getEntriesByType('resource').map(e => ({
          url: e.name.replace(location.origin, ''), start: Math.round(e.startTime), end: Math.round(e.responseEnd),
          kb: Math.round((e.encodedBodySize || 0) / 1024)}))};
"""


def external_requests(performance_log: list[dict], base_url: str) -> list[dict]:
    """Every request the page tried outside the server, and whether the browser blocked it (the CSP)."""
    import json
    sent: dict[str, str] = {}
    blocked: dict[str, str] = {}
    for entry in performance_log:
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent":
            sent[params["requestId"]] = params["request"]["url"]
        elif message.get("method") == "Network.loadingFailed":
            blocked[params["requestId"]] = params.get("blockedReason") or params.get("errorText", "")
    return [{"url": url, "blocked": blocked.get(rid)} for rid, url in sent.items()
            if url.startswith(("http:", "https:", "ws:", "wss:")) and not url.startswith(base_url + "/")]


def wait_for_charts(driver, deadline: float) -> dict:
    """Polls every 0.1 s until every chart of the tab on view has drawn or failed (or the deadline passed)."""
    while True:
        state = driver.execute_script(SCREENSHOT_WAIT_JS)
        if state.get("ready"):
            return state
        if time.monotonic() > deadline:
            return {**state, "timed_out": True}
        time.sleep(0.1)


def take_screenshot(base_url: str, out: Path, user: str, password: str, timeout: float, width: int,
                    height: int) -> dict:
    """Runs inside .venv-bi: selenium drives Debian's chromium through chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="bi-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={width},{height}",
                 "--lang=zh-CN"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.set_page_load_timeout(timeout)
        driver.get(f"{base_url}/login/")
        deadline = time.monotonic() + timeout
        while not driver.find_elements(By.CSS_SELECTOR, "input[name=username], #username"):
            if time.monotonic() > deadline:
                raise RuntimeError("no login form at /login/")
            time.sleep(0.3)
        driver.find_element(By.CSS_SELECTOR, "input[name=username], #username").send_keys(user)
        driver.find_element(By.CSS_SELECTOR, "input[name=password], #password").send_keys(password + Keys.RETURN)
        while "/login" in driver.current_url:
            if time.monotonic() > deadline:
                raise RuntimeError(f"login as {user} failed")
            time.sleep(0.3)
        # the dashboard's first load: from opening its address (logged in, nothing cached in this browser
        # profile) to every chart of the first tab drawn or failed, polled every 0.1 s
        opened = time.perf_counter()
        driver.get(f"{base_url}/superset/dashboard/{DASHBOARD_SLUG}/?standalone=1")
        state = wait_for_charts(driver, deadline)
        state["load_seconds"] = round(time.perf_counter() - opened, 2)
        # where the load's time went: the page's own events and every request, in ms from navigation start
        state["timeline"] = driver.execute_script(TIMELINE_JS)
        titles = driver.execute_script(TABS_JS) or [""]
        state["tabs"], texts, errors = [], [], list(state["errors"])
        # then every other tab, opened as a reader would: its charts load when it is shown
        for i, title in enumerate(titles):
            tab_state = state
            if i:
                driver.execute_script(CLICK_TAB_JS, i)
                clicked = time.perf_counter()
                tab_state = wait_for_charts(driver, deadline)
                errors += tab_state["errors"]
            state["tabs"].append({"title": title, "charts": tab_state["charts"], "drawn": tab_state["drawn"],
                                  "seconds": round(time.perf_counter() - clicked, 2) if i else state["load_seconds"],
                                  "timed_out": tab_state.get("timed_out", False)})
            time.sleep(1.5)  # echarts' entry animation
            full_height = driver.execute_script(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
            driver.set_window_size(width, max(height, int(full_height) + 40))
            time.sleep(0.5)
            out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(out if i == 0 else out.with_name(f"{out.stem}-tab{i + 1}{out.suffix}")))
            driver.set_window_size(width, height)
            texts.append(driver.execute_script("return document.body.innerText"))
        final = driver.execute_script(SCREENSHOT_WAIT_JS)
        del state["all"], state["holders"]
        # every chart of every tab: `charts` and `drawn` count the whole dashboard, `ready` that all of it drew
        state.update(first_view_charts=state["charts"], charts=final["holders"], drawn=final["all"], errors=errors,
                     ready=final["all"] == final["holders"] and not errors
                     and not any(t["timed_out"] for t in state["tabs"]))
        state["text"] = "\n".join(texts)
        state["external_requests"] = external_requests(driver.get_log("performance"), base_url)
        return state
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def cmd_screenshot(args: argparse.Namespace) -> int:
    require_venv()
    if Path(sys.prefix).resolve() != VENV.resolve():  # selenium lives in .venv-bi: run this there
        os.execv(str(venv_python()), [str(venv_python()), __file__, *sys.argv[1:]])
    import json
    os.environ["SE_AVOID_STATS"] = "true"  # selenium's manager is not used (chromedriver is given), no stats either
    state = take_screenshot(args.url.rstrip("/"), args.out, args.user, args.password, args.timeout, args.width,
                            args.height)
    print(json.dumps({**state, "out": str(args.out)}, ensure_ascii=False))
    return 0 if state.get("ready") and not state.get("errors") else 1


# ------------------------------------------------------------------------------------------------ export
def cmd_export(args: argparse.Namespace) -> int:
    """Export every database, dataset, chart and dashboard (Superset's asset export) and write them to
    bi/assets/ with the database path replaced by the placeholder again. Review with `git diff bi/assets`."""
    require_venv()
    import json
    with tempfile.TemporaryDirectory(prefix="bi-export-") as tmp:
        superset_python(args.home, EXPORT_CODE, ADMIN_USER, str(Path(tmp) / "export.json"))
        files: dict[str, str] = json.loads((Path(tmp) / "export.json").read_text(encoding="utf-8"))
    target: Path = args.out
    # keep each asset's file name in bi/assets (matched by its uuid): Superset names files after titles and ids,
    # which for Chinese titles gives names like charts/2.yaml
    known = {m.group(1): path.relative_to(target) for path in target.rglob("*.yaml")
             if (m := UUID_LINE.search(path.read_text(encoding="utf-8")))} if target.exists() else {}
    if (target / "metadata.yaml").exists():  # the export's timestamp alone is no change
        files["metadata.yaml"] = (target / "metadata.yaml").read_text(encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    for name, text in sorted(files.items()):
        m = UUID_LINE.search(text)
        relative = known.get(m.group(1), Path(name)) if m else Path(name)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(DB_URI_LINE.sub(rf"\g<1>{DB_PLACEHOLDER}", text), encoding="utf-8")
    log(f"wrote {len(files)} files to {target}")
    return 0


# -------------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bi.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Login: admin/admin (the server listens on 127.0.0.1 only). "
                                            "See docs/bi.md.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_home(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--home", type=lambda s: Path(s).absolute(),
                       default=Path(os.environ.get("JUESUAN_BI_HOME") or DEFAULT_HOME),
                       help="where Superset keeps its metadata DB and secret key (default warehouse/bi; "
                            "JUESUAN_BI_HOME)")
        return p

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", type=lambda s: Path(s).absolute(), default=DEFAULT_DB,
                       help="the published DuckDB file (default warehouse/published/current/juesuan.duckdb)")
        return p

    p = sub.add_parser("install", help="create .venv-bi from bi/requirements.txt + bi/requirements.lock")
    p.add_argument("--force", action="store_true", help="reinstall even if the lock is unchanged")
    p.add_argument("--python", help="the interpreter for the venv (default python3.11)")
    p.set_defaults(func=cmd_install)

    p = sub.add_parser("lock", help="re-resolve bi/requirements.txt and rewrite bi/requirements.lock")
    p.add_argument("--python", help="the interpreter for the scratch venv (default python3.11)")
    p.set_defaults(func=cmd_lock)

    p = with_db(with_home(sub.add_parser("init", help="metadata DB, admin user, roles, import bi/assets")))
    p.add_argument("--reset", action="store_true", help="start from an empty metadata DB (drops UI edits)")
    p.set_defaults(func=cmd_init)

    p = with_db(with_home(sub.add_parser("import", help="import bi/assets again, overwriting what the UI changed")))
    p.set_defaults(func=cmd_import)

    p = with_home(sub.add_parser("serve", help="start Superset on 127.0.0.1"))
    p.add_argument("--port", type=int, default=8088, help="port (default 8088)")
    p.add_argument("--workers", type=int, default=0, help="gunicorn worker processes (default: cores, at most 4)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("screenshot", help="PNG of the dashboard once every chart drew (headless Chromium)")
    p.add_argument("--url", default="http://127.0.0.1:8088", help="the running server (default %(default)s)")
    p.add_argument("--out", type=lambda s: Path(s).absolute(), default=DEFAULT_HOME / "dashboard.png",
                   help="the PNG to write (default warehouse/bi/dashboard.png)")
    p.add_argument("--user", default=ADMIN_USER)
    p.add_argument("--password", default=ADMIN_PASSWORD)
    p.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for every chart")
    p.add_argument("--width", type=int, default=1600)
    p.add_argument("--height", type=int, default=1200)
    p.set_defaults(func=cmd_screenshot)

    p = with_home(sub.add_parser("export", help="write the dashboard as edited in the UI to bi/assets"))
    p.add_argument("--out", type=lambda s: Path(s).absolute(), default=ASSETS, help="default bi/assets")
    p.set_defaults(func=cmd_export)

    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
