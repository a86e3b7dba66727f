"""stdplus settings: everything that varies between machines comes from the environment.

DATABASE_URL      database (default: SQLite file var/stdplus.sqlite3 under STDPLUS_HOME)
STDPLUS_HOME      folder holding var/ (default: the current directory)
STDPLUS_SECRET_KEY  required when STDPLUS_PRODUCTION=1; otherwise a key is generated once in var/
STDPLUS_DEBUG     "1" turns Django's debug mode on (off by default)
STDPLUS_ALLOWED_HOSTS  comma-separated host names (default: 127.0.0.1,localhost)
STDPLUS_PRODUCTION  "1" for a production deployment: no generated secret, secure cookies
STDPLUS_TODAY     pretend that today is this ISO date (tests and demos of time-dependent status)
STDPLUS_EMAIL_BACKEND  Django mail backend (default: console; "smtp" for
                  django.core.mail.backends.smtp.EmailBackend)
STDPLUS_EMAIL_HOST, STDPLUS_EMAIL_PORT, STDPLUS_EMAIL_USER, STDPLUS_EMAIL_PASSWORD,
STDPLUS_EMAIL_TLS ("1": STARTTLS), STDPLUS_EMAIL_FROM  the mail server and the sender address
STDPLUS_SITE_URL  the site's own address for links in mails, webhooks and feeds
                  (default http://127.0.0.1:8000)
STDPLUS_SHOW_DEMO  "1" shows the demo generator's standards in the public catalog (off by default)
STDPLUS_SOURCE_MAX_AGE_DAYS  a source's data older than this is flagged as old (default 365)
STDPLUS_WEBHOOK_TIMEOUT  seconds a webhook receiver has to answer (default 10)
STDPLUS_WEBHOOK_BACKOFF  seconds before the first retry of a failed webhook; doubles each time
                  (default 60)
STDPLUS_WEBHOOK_MAX_ATTEMPTS  attempts before a webhook delivery is given up (default 8)
STDPLUS_WEBHOOK_TRUSTED_RECEIVERS  comma-separated networks (CIDR) and host names of internal
                  webhook receivers that may be posted to although they are not public
                  (default: none; webhooks go only to global addresses)
STDPLUS_STATS_CACHE  where the statistics' figures are cached: "file" (default: var/cache/stats,
                  shared by the workers of one machine), "locmem" (each process its own), or a
                  redis:// URL (shared by several machines; needs the redis package)
STDPLUS_STATS_WARM_MS  a dashboard that took longer to count (milliseconds, default 500) is
                  counted again by the worker after each change of the data, before readers ask
STDPLUS_STATS_WARM_PAGES  how many such dashboards are kept to count ahead (default 50; 0: none)
STDPLUS_REQUEST_MAX_MB  megabytes a request body may have besides its files (default 16)
STDPLUS_QUEUE_URL  the background jobs' queue: unset for the embedded SQLite queue in
                  var/queue.sqlite3 (one machine), or a redis:// URL (several worker machines)
STDPLUS_WORKER_THREADS  jobs one `stdplus worker` runs at once (default 2)
STDPLUS_JOB_LEASE  seconds a started job may run before another worker takes it over as lost
                  (default 900)
STDPLUS_JOB_FILES  folder of the files background jobs hand back (reports, default var/jobs)
STDPLUS_CHECK_JOB_LINES  a validity check of more lines runs on the worker, with progress shown
                  (default 5000)
STDPLUS_WEB_WORKERS, STDPLUS_WEB_THREADS  `stdplus serve`'s processes and threads per process
                  (defaults 2 and 4)
STDPLUS_LOG_LEVEL  the root log level (default WARNING)
STDPLUS_LOG_FORMAT  "text" (default) or "json": one JSON object per log line
STDPLUS_METRICS_DIR  folder where the processes of one machine keep their metrics (Prometheus
                  multiprocess mode); unset: each process shows its own
STDPLUS_METRICS_TOKEN  bearer token /metrics asks for (default: none)
STDPLUS_METRICS_ALLOWED_IPS  comma-separated networks (CIDR) or addresses allowed to read /metrics
DATABASE_REPLICA_URLS  comma-separated read replicas of DATABASE_URL (PostgreSQL streaming replicas)
STDPLUS_REPLICA_PIN_SECONDS  after a write, a person's reads go to the primary this long (default 10)

Security (docs/security.md; defaults follow STDPLUS_PRODUCTION):
STDPLUS_SSL_REDIRECT  "1": send every plain-HTTP request to HTTPS (default: on in production)
STDPLUS_HSTS_SECONDS  Strict-Transport-Security max-age (default: 31536000 in production, else 0)
STDPLUS_HSTS_INCLUDE_SUBDOMAINS  "1": HSTS covers subdomains (default: on in production)
STDPLUS_HSTS_PRELOAD  "1": ask browsers to preload HSTS (default off: a commitment to make on purpose)
STDPLUS_SECURE_COOKIES  "1": session and CSRF cookies only over HTTPS (default: on in production)
STDPLUS_TRUSTED_PROXIES  number of reverse proxies in front of the server (default 0): the client
                  address is then read from X-Forwarded-For, and X-Forwarded-Proto=https counts
STDPLUS_LOGIN_FAILURE_LIMIT  failed log-ins per account or per address before a pause (default 10)
STDPLUS_LOGIN_COOLOFF_MINUTES  length of that pause (default 15)
STDPLUS_API_RATE_ANON  API requests without a token per address, e.g. "120/min" ("0": no limit)
STDPLUS_API_RATE_TOKEN  API requests per person with a token or session, e.g. "600/min"
STDPLUS_MAIL_RATE  sign-ups and password resets per address, e.g. "10/hour" (each sends a mail)
STDPLUS_CSP_REPORT_URI  where browsers report Content-Security-Policy violations (default: none)
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from stdplus.core.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("STDPLUS_HOME", Path.cwd())).resolve()
VAR_DIR = HOME / "var"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = _flag("STDPLUS_PRODUCTION")
DEBUG = _flag("STDPLUS_DEBUG")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


# Keys people put in examples and forget to replace; compared without case.
PLACEHOLDER_SECRET_KEYS = {
    "changeme",
    "change-me",
    "change_me",
    "secret",
    "secretkey",
    "secret-key",
    "password",
    "default",
    "stdplus",
    "django",
    "test",
    "dev",
    "development",
    "insecure",
    "xxx",
    "todo",
}
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5


def secret_key_weakness(key: str) -> str:
    """Why `key` is no secret key for a server others reach ("" when it will do).

    The same bar as Django's deployment check (50 characters, 5 different ones, not the
    `django-insecure-` prefix of generated examples), plus the usual placeholders."""
    if key.lower() in PLACEHOLDER_SECRET_KEYS or "changeme" in key.lower().replace("-", ""):
        return "it is a placeholder, not a secret"
    if key.startswith("django-insecure-"):
        return "it is an example key (it starts with 'django-insecure-')"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters; at least {SECRET_KEY_MIN_LENGTH} are needed"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        return f"it uses only {len(set(key))} different characters"
    return ""


def _secret_key() -> str:
    key = os.environ.get("STDPLUS_SECRET_KEY", "").strip()
    if key:
        weakness = secret_key_weakness(key)
        if weakness and not DEBUG:
            raise ImproperlyConfigured(
                f"STDPLUS_SECRET_KEY is refused: {weakness}. Make one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and keep it out "
                "of the repository (or set STDPLUS_DEBUG=1 on a development machine)."
            )
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "STDPLUS_SECRET_KEY is not set; a production deployment needs its own secret key."
        )
    # Development and tests: a random key kept outside the repository, in var/.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("STDPLUS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger UI files itself, not from a CDN
    "axes",  # counts failed log-ins by account and by address (docs/security.md)
    "csp",
    "stdplus.core",
    "stdplus.accounts",
    "stdplus.catalog",
    "stdplus.importers",
    "stdplus.checks",
    "stdplus.watch",
    # Before programme: the regulator group (programme/permissions.py, made after programme
    # migrates) includes the declarations' permissions, which must exist by then.
    "stdplus.declarations",
    # Before programme too: its regulator group includes the spot checks' permission.
    "stdplus.supervision",
    "stdplus.programme",
    "stdplus.development",
    "stdplus.support",
    "stdplus.stats",
    "stdplus.search",
    "huey.contrib.djhuey",  # `stdplus worker` runs huey's consumer (run_huey)
]

MIDDLEWARE = [
    # First: the request id is in every log line, and the metrics time the whole request.
    "stdplus.core.logs.RequestIdMiddleware",
    "stdplus.core.metrics.MetricsMiddleware",
    # Before the session is read: which database this request reads (read replicas).
    "stdplus.core.replicas.ReplicaPinMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stdplus.core.http.HeadAsGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After language and user are known: the 400 for an address no database can store.
    "stdplus.core.http.UnstorablePathMiddleware",
    "stdplus.catalog.visibility.DemoVisibilityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Log-ins go through django-axes first: it refuses an account or an address that failed too
# often (STDPLUS_LOGIN_FAILURE_LIMIT) until the pause (STDPLUS_LOGIN_COOLOFF_MINUTES) is over.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "stdplus.urls"
WSGI_APPLICATION = "stdplus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stdplus.core.twins.json_twin_url",
                "stdplus.catalog.visibility.context",
                "stdplus.watch.context.unread",
            ],
        },
    },
]


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'stdplus.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60)
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        # Django's backend whose writers say when they wait for the write lock, so that a long
        # import pauses for them only when someone waits (stdplus.core.sqlite).
        config["ENGINE"] = "stdplus.core.sqlite"
        # Keep the connection between requests: opening one costs a millisecond (the schema
        # is read again and the page cache starts cold), more than the detail endpoint's query.
        config["CONN_MAX_AGE"] = 600
        config["OPTIONS"] = {
            # WAL lets readers go on while an import writes; the busy timeout makes a second
            # writer wait instead of failing at once.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-64000;"
            ),
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
        }
    databases = {"default": config}
    # Read replicas (stdplus.core.replicas): reads of a request go to one of them unless the
    # person wrote in the last STDPLUS_REPLICA_PIN_SECONDS; writes, transactions, commands and
    # background jobs use the primary. In the test suite each is a mirror of the primary.
    replicas = [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",")]
    for number, replica_url in enumerate([u for u in replicas if u], start=1):
        replica = dj_database_url.parse(replica_url, conn_max_age=60)
        if replica["ENGINE"] != engine:
            raise ImproperlyConfigured(
                f"DATABASE_REPLICA_URLS: replica {number} is not the same kind of database as "
                "DATABASE_URL"
            )
        replica["ENGINE"] = config["ENGINE"]
        replica["TEST"] = {"MIRROR": "default"}
        databases[f"replica{number}"] = replica
    return databases


DATABASES = _databases()
STDPLUS_DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["stdplus.core.replicas.ReplicaRouter"]
STDPLUS_REPLICA_PIN_SECONDS = _int("STDPLUS_REPLICA_PIN_SECONDS", 10)


def _stats_cache() -> dict:
    """The statistics' cache. Its keys hold the version of the data counted (stored in the
    database), so any of these is correct with several workers; a shared one counts each
    figure once for all of them."""
    value = os.environ.get("STDPLUS_STATS_CACHE", "file").strip()
    if value == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "stats"}
    if value.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
    if value != "file":
        raise ImproperlyConfigured(
            f"STDPLUS_STATS_CACHE={value!r}: use file, locmem or a redis:// URL"
        )
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "stats"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }


# Dashboards that took longer than this to count are counted again by the worker after each
# change of the data, ahead of their readers (stats.warming); at most this many are kept.
STDPLUS_STATS_WARM_MS = _int("STDPLUS_STATS_WARM_MS", 500)
STDPLUS_STATS_WARM_PAGES = _int("STDPLUS_STATS_WARM_PAGES", 50)

CACHES = {
    # Per process: search's counts and trees, keyed on the search index's generation.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "stats": _stats_cache(),
}


def _positive_int(name: str, default: int) -> int:
    number = _int(name, default)
    if number < 1:
        raise ImproperlyConfigured(f"{name}={number}: give a whole number of at least 1")
    return number


def _huey() -> dict:
    """The background jobs' queue (huey): an SQLite file in var/ that needs no server, or Redis
    for workers on several machines. docs/dev/decisions.md says why huey."""
    url = os.environ.get("STDPLUS_QUEUE_URL", "").strip()
    consumer = {
        "workers": _positive_int("STDPLUS_WORKER_THREADS", 2),
        "worker_type": "thread",
        "check_worker_health": True,
    }
    common = {"name": "stdplus", "immediate": False, "utc": True, "consumer": consumer}
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            **common,
            "huey_class": "huey.SqliteHuey",
            "filename": str(VAR_DIR / "queue.sqlite3"),
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {**common, "huey_class": "huey.RedisHuey", "url": url}
    raise ImproperlyConfigured(
        f"STDPLUS_QUEUE_URL={url!r}: leave it unset for the embedded queue or give a redis:// URL"
    )


HUEY = _huey()
STDPLUS_JOB_LEASE = _positive_int("STDPLUS_JOB_LEASE", 900)
STDPLUS_JOB_FILES = Path(os.environ.get("STDPLUS_JOB_FILES", "").strip() or VAR_DIR / "jobs")
STDPLUS_CHECK_JOB_LINES = _positive_int("STDPLUS_CHECK_JOB_LINES", 5000)
STDPLUS_WEB_WORKERS = _positive_int("STDPLUS_WEB_WORKERS", 2)
STDPLUS_WEB_THREADS = _positive_int("STDPLUS_WEB_THREADS", 4)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request bodies (besides uploaded files): a check takes 100,000 lines pasted on the web page or
# posted to the API, and a line of a reference list runs to 100-150 bytes with a Chinese title,
# so 16 MB. Larger answers 413 (JSON under /api/, a page elsewhere). Files are read up to 50 MB
# (stdplus.checks.reading). A proxy in front must allow as much (nginx: client_max_body_size).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("STDPLUS_REQUEST_MAX_MB", "16")) * 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
# Each app keeps its translations in <app>/locale (Django finds them): see docs/dev/i18n.md.
TIME_ZONE = os.environ.get("STDPLUS_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
# One date format across the site, whatever the language (stdplus/formats).
FORMAT_MODULE_PATH = ["stdplus.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # filled by `stdplus collectstatic` in production
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# WhiteNoise serves the static files, from the apps' static folders directly unless this is a
# production deployment (which runs `stdplus collectstatic` and serves hashed, compressed files).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Transport and headers (docs/security.md). Production turns HTTPS on; each part can be set.
TRUSTED_PROXIES = _int("STDPLUS_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES:
    # The proxy in front terminates TLS and says so; without a proxy the header is not trusted.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
NINJA_NUM_PROXIES = TRUSTED_PROXIES  # the API's throttles read the client address the same way
SECURE_SSL_REDIRECT = _flag("STDPLUS_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = _int("STDPLUS_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("STDPLUS_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _flag("STDPLUS_HSTS_PRELOAD")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = _flag("STDPLUS_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every response: scripts and style sheets only from
# our own files (htmx, ECharts, the dashboard, Swagger UI and the admin are served from static/;
# no page has an inline <script> or <style>; htmx's own indicator <style> is turned off in
# base.html), nothing framed, forms post only here. Style *attributes* stay allowed: ECharts
# and Swagger UI set them on the elements they draw (they cannot run script).
# tests/browser/test_content_security_policy.py loads every kind of page and finds no violation.
_CSP_SELF, _CSP_NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [_CSP_SELF, "data:"],
        "font-src": [_CSP_SELF, "data:"],
        "connect-src": [_CSP_SELF],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
        **(
            {"report-uri": [os.environ["STDPLUS_CSP_REPORT_URI"].strip()]}
            if os.environ.get("STDPLUS_CSP_REPORT_URI", "").strip()
            else {}
        ),
    },
}
# Permissions-Policy (django-permissions-policy): the site uses no device or sensor feature.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "usb",
        "browsing-topics", "interest-cohort",
    )
}  # fmt: skip

# Log-in throttling (django-axes): an account name, and separately an address, that fails
# STDPLUS_LOGIN_FAILURE_LIMIT times is refused for STDPLUS_LOGIN_COOLOFF_MINUTES; a correct
# password afterwards works again, and a password reset by mail lifts the pause at once.
AXES_FAILURE_LIMIT = _int("STDPLUS_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_int("STDPLUS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "stdplus.core.clientip.client_address"
AXES_LOCKOUT_CALLABLE = "stdplus.accounts.views.login_paused"
AXES_VERBOSE = False

# Rate limits (stdplus.core.throttling, read at request time): API requests per address without
# a token, and per person with one; pages that send mail (sign-up, password reset) per address.
# "0" or empty turns a limit off.
STDPLUS_RATES = {
    "anon": os.environ.get("STDPLUS_API_RATE_ANON", "120/min").strip(),
    "auth": os.environ.get("STDPLUS_API_RATE_TOKEN", "600/min").strip(),
    "mail": os.environ.get("STDPLUS_MAIL_RATE", "10/hour").strip(),
}

# Logs (stdplus.core.logs): every record carries the request id (X-Request-ID) or the job id;
# STDPLUS_LOG_FORMAT=json writes one JSON object a line for a log collector.
LOG_FORMAT = os.environ.get("STDPLUS_LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"STDPLUS_LOG_FORMAT={LOG_FORMAT!r}: use text or json")
LOGGING = logging_config(fmt=LOG_FORMAT, level=os.environ.get("STDPLUS_LOG_LEVEL", "WARNING"))

# Metrics for Prometheus (stdplus.core.metrics) at /metrics. Several processes (gunicorn's
# workers, `stdplus worker`) on one machine add up their figures through files in
# STDPLUS_METRICS_DIR (prometheus_client's multiprocess mode, which reads the variable below when
# it is first imported). /metrics answers a bearer token (STDPLUS_METRICS_TOKEN) and/or listed
# addresses (STDPLUS_METRICS_ALLOWED_IPS); with neither it is closed unless DEBUG is on.
STDPLUS_METRICS_DIR = os.environ.get("STDPLUS_METRICS_DIR", "").strip()
if STDPLUS_METRICS_DIR:
    Path(STDPLUS_METRICS_DIR).mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = STDPLUS_METRICS_DIR
STDPLUS_METRICS_TOKEN = os.environ.get("STDPLUS_METRICS_TOKEN", "").strip()
STDPLUS_METRICS_ALLOWED_IPS = [
    entry.strip()
    for entry in os.environ.get("STDPLUS_METRICS_ALLOWED_IPS", "").split(",")
    if entry.strip()
]
for _entry in STDPLUS_METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"STDPLUS_METRICS_ALLOWED_IPS: {_entry!r} is not an address or a network (CIDR)"
        ) from None

# stdplus's own settings
STDPLUS_TODAY = os.environ.get("STDPLUS_TODAY", "")
STDPLUS_BUNDLED_DATA = Path(
    os.environ.get("STDPLUS_BUNDLED_DATA", PACKAGE_DIR.parent.parent / "data")
)

# Accounts and mail (password reset, alert digests)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "checks:index"
LOGOUT_REDIRECT_URL = "catalog:home"
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_email_backend = os.environ.get("STDPLUS_EMAIL_BACKEND", "console").strip()
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("STDPLUS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("STDPLUS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("STDPLUS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("STDPLUS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _flag("STDPLUS_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("STDPLUS_EMAIL_FROM", "stdplus <noreply@localhost>")
# Demo entries (`stdplus programme demo`) in the public catalog, search, counts and feeds.
STDPLUS_SHOW_DEMO = _flag("STDPLUS_SHOW_DEMO")
# A validity check warns when a source's data is older than this many days.
STDPLUS_SOURCE_MAX_AGE_DAYS = int(os.environ.get("STDPLUS_SOURCE_MAX_AGE_DAYS", "365"))
STDPLUS_SITE_URL = os.environ.get("STDPLUS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Standards development (issue 14): the prefix of the local standards the city numbers.
STDPLUS_LOCAL_STANDARD_PREFIX = (
    os.environ.get("STDPLUS_LOCAL_STANDARD_PREFIX", "DB4403/T").strip() or "DB4403/T"
)
STDPLUS_WEBHOOK_TIMEOUT = float(os.environ.get("STDPLUS_WEBHOOK_TIMEOUT", "10"))
STDPLUS_WEBHOOK_BACKOFF = float(os.environ.get("STDPLUS_WEBHOOK_BACKOFF", "60"))
STDPLUS_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("STDPLUS_WEBHOOK_MAX_ATTEMPTS", "8"))
STDPLUS_WEBHOOK_TRUSTED_RECEIVERS = [
    entry.strip()
    for entry in os.environ.get("STDPLUS_WEBHOOK_TRUSTED_RECEIVERS", "").split(",")
    if entry.strip()
]
