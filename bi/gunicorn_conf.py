"""gunicorn settings for `scripts/bi.py serve`: each worker warms itself up before it takes its first request.

A worker that has just started answers its first dashboard slowly: Superset imports pandas, the DuckDB driver and
the chart code on first use, builds its security caches, and the published DuckDB file is not yet in the page
cache. So the first reader after a start paid about a second more than the next one (docs/bi.md, "First load").
`post_worker_init` runs in each worker after the application is loaded and before it accepts a connection: it
asks, through Flask's test client, for what opening the dashboard asks for — its page, the language pack, the
dashboard, its charts and datasets, and every chart's data — as the admin user (a session and a token made
in-process, no password). What it caches is filed under the snapshot it read (bi/snapshot_cache.py), so the next
publish is still seen by the next query.
"""
from __future__ import annotations

import os
import time

# what scripts/bi.py serve gives (its ADMIN_USER and DASHBOARD_SLUG)
USER = os.environ.get("JUESUAN_BI_USER", "admin")
DASHBOARD = os.environ.get("JUESUAN_BI_DASHBOARD", "juesuan")


def post_worker_init(worker) -> None:  # noqa: ANN001 - gunicorn's Worker
    started = time.monotonic()
    app = worker.wsgi
    try:
        with app.app_context():
            from flask_jwt_extended import create_access_token
            from superset import security_manager

            user = security_manager.find_user(username=USER)
            if user is None:
                worker.log.warning("warm-up skipped: no user %s (run scripts/bi.py init)", USER)
                return
            headers = {"Authorization": f"Bearer {create_access_token(identity=str(user.id), fresh=True)}"}
        client = app.test_client()
        # the dashboard's page as a logged-in browser asks for it (a session as flask-login keeps it), then its API
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(user.id), True
        for path in (f"/superset/dashboard/{DASHBOARD}/?standalone=1",
                     f"/superset/language_pack/{app.config['BABEL_DEFAULT_LOCALE']}/"):
            client.get(path)
        for path in (f"/api/v1/dashboard/{DASHBOARD}", f"/api/v1/dashboard/{DASHBOARD}/datasets"):
            client.get(path, headers=headers)
        charts = client.get(f"/api/v1/dashboard/{DASHBOARD}/charts", headers=headers).get_json() or {}
        failed = []
        for chart in charts.get("result", []):
            answer = client.get(f"/api/v1/chart/{chart['id']}/data/", headers=headers)
            if answer.status_code != 200:
                failed.append(f"{chart['id']}: HTTP {answer.status_code}")
        worker.log.info("warm-up: %d charts in %.1f s%s", len(charts.get("result", [])), time.monotonic() - started,
                        f" (failed: {', '.join(failed)})" if failed else "")
    except Exception as e:  # noqa: BLE001 - a failed warm-up must not keep the worker from serving
        worker.log.warning("warm-up failed after %.1f s: %s", time.monotonic() - started, e)
