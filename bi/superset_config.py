"""Superset configuration for juesuan's local BI server (loaded through SUPERSET_CONFIG_PATH by scripts/bi.py).

Everything Superset writes goes under JUESUAN_BI_HOME (default <repo>/warehouse/bi/): the SQLite metadata
database, the secret key, uploads. The server is meant for one machine (127.0.0.1) and a closed network:
nothing here reaches outside, telemetry and features that would fetch from the internet are off.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# HOME: JUESUAN_BI_HOME, else <repo>/warehouse/bi; the chart data cache per published snapshot (bi/snapshot_cache.py)
from snapshot_cache import HOME, PUBLISHED_DB_FILE, pin_connection  # noqa: E402

HOME.mkdir(parents=True, exist_ok=True)

# the key signs session cookies and encrypts database credentials in the metadata DB; scripts/bi.py init writes it
_key_file = HOME / "secret_key"
if not _key_file.exists():
    raise RuntimeError(f"{_key_file} is missing: run `scripts/bi.py init` first")
SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()

SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}?check_same_thread=false"
DATA_DIR = str(HOME)
UPLOAD_FOLDER = str(HOME / "uploads")
IMG_UPLOAD_FOLDER = str(HOME / "uploads")

APP_NAME = "决算分析"
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {"zh": {"flag": "cn", "name": "Chinese"}, "en": {"flag": "us", "name": "English"}}

# chart data is cached per published snapshot (bi/snapshot_cache.py): a request resolves `current` once, opens that
# snapshot's file and files its cache entries under it, so a re-publish is seen by the next query and an answer is
# never served for another snapshot than its own. A home whose init named no published file caches nothing.
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = ({"CACHE_TYPE": "snapshot_cache.SnapshotCache", "CACHE_DIR": str(HOME / "cache"),
                      "CACHE_DEFAULT_TIMEOUT": 7 * 86400, "CACHE_THRESHOLD": 5000}
                     if PUBLISHED_DB_FILE.is_file() else {"CACHE_TYPE": "NullCache"})
DB_CONNECTION_MUTATOR = pin_connection
FILTER_STATE_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86400}
EXPLORE_FORM_DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86400}

FEATURE_FLAGS = {
    "THUMBNAILS": False,
    "ALERT_REPORTS": False,
    "PLAYWRIGHT_REPORTS_AND_THUMBNAILS": False,
    "DASHBOARD_RBAC": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
    "TAGGING_SYSTEM": False,
}

# a local, single-user server: no rate limit on the API or the login (the tests log in several times)
RATELIMIT_ENABLED = False
AUTH_RATE_LIMITED = False
RATELIMIT_STORAGE_URI = "memory://"

# Content security policy with 'self' only: the browser loads nothing from outside, which also blocks the
# usage pixel (scarf.sh) that Superset's menu always renders, Google/Adobe fonts and map tiles.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
MAPBOX_API_KEY = ""

# the warehouse is read through a read-only DuckDB connection; SQL Lab may only read
PREVENT_UNSAFE_DB_CONNECTIONS = True
SQLLAB_CTAS_NO_LIMIT = False
ROW_LIMIT = 50000
SUPERSET_WEBSERVER_TIMEOUT = 60
