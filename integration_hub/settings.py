"""Integration Hub settings: the only module that reads the environment.

With no configuration at all the project runs as a local trial: SQLite, django-q2's ORM
broker, the sandboxes switched on and development keys generated once into ``var/``.
Production (``DEBUG=False``) refuses to start without ``SECRET_KEY`` and
``INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS``. Every variable is listed in ``.env.example``; an
empty value means its default, and a value that cannot be read stops the start with one line
naming the variable (``integration_hub.envconfig``).
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from integration_hub.devkeys import dev_webhook_secret, load_or_create_dev_keys
from integration_hub.envconfig import EnvReader, MissingInProduction

BASE_DIR = Path(__file__).resolve().parent.parent

if (BASE_DIR / ".env").is_file():
    # Values already in the environment win over the file's.
    environ.Env.read_env(str(BASE_DIR / ".env"))
env = EnvReader(os.environ)

DEBUG = env.bool("DEBUG", default=True)
DATA_DIR = env.path("INTEGRATION_HUB_DATA_DIR", "var", BASE_DIR)
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _require_in_production(name, value):
    if not value and not DEBUG:
        raise MissingInProduction(name)
    return value


# --- Secrets -----------------------------------------------------------------------------
# Development falls back to keys generated once and kept in DATA_DIR; production never does.
_dev_keys = load_or_create_dev_keys(DATA_DIR) if DEBUG else {}
SECRET_KEY = _require_in_production("SECRET_KEY", env.str("SECRET_KEY")) or _dev_keys["secret_key"]
# Earlier signing keys, still accepted for sessions and forms while SECRET_KEY is rotated
# (docs/deploy.md); queued tasks are signed with SECRET_KEY alone.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS")
# Fernet keys for credentials at rest: the first encrypts, all decrypt (MultiFernet).
FIELD_ENCRYPTION_KEYS = _require_in_production(
    "INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS",
    env.list("INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS"),
) or [_dev_keys["field_encryption_key"]]

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
# The console's public origin(s), scheme included (https://hub.example.com): Django compares a
# form's Origin header with them when a proxy in front changes the host or the scheme.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS")

# --- Applications ------------------------------------------------------------------------
# The sandboxes simulate Fxiaoke, K3Cloud and the group robots. Where they are off (production by
# default) none of their apps, tables, admin pages or URLs exists: the hub reaches sandboxes only
# over HTTP, served by a development install of their own (`manage.py sandbox serve`).
SANDBOX_ENABLED = env.bool("INTEGRATION_HUB_SANDBOX_ENABLED", default=DEBUG)
# Listed before the hub's own apps: a management command of the same name in a later app (the
# hub's `sandbox`, which says the sandboxes are off) gives way to theirs.
SANDBOX_APPS = ["sandbox", "sandbox.k3cloud", "sandbox.fxiaoke", "sandbox.im"] if SANDBOX_ENABLED else []
# The database alias of the sandboxes' own tables (sandbox.routers sends them there).
SANDBOX_DATABASE = "sandbox"
# Fault switches applied when a sandbox server starts, e.g. {"k3cloud": {"latency_ms": 20}}.
SANDBOX_FAULTS = env.json_object("INTEGRATION_HUB_SANDBOX_FAULTS", example='{"k3cloud": {"latency_ms": 20}}')

INSTALLED_APPS = [
    "integration_hub.apps.AdminConfig",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    *SANDBOX_APPS,
    "integration_hub.apps.HubConfig",
    "django_q",
    "import_export",
    "simple_history",
    "connectors",
    "syncjobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "syncjobs.console.views.language.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "integration_hub.urls"
WSGI_APPLICATION = "integration_hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Databases ---------------------------------------------------------------------------
# SQLite is tuned for a web server and several workers at once: WAL lets readers run beside
# the writer, IMMEDIATE transactions take the write lock up front (no deadlock on upgrade),
# and the busy timeout waits for the lock instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "timeout": env.int("INTEGRATION_HUB_SQLITE_TIMEOUT", default=30, minimum=0),
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
}


def _database(url_var, sqlite_name):
    config = env.db_url(url_var, default=f"sqlite:///{DATA_DIR / sqlite_name}")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    else:
        config.setdefault("CONN_MAX_AGE", 60)
        config.setdefault("CONN_HEALTH_CHECKS", True)
    return config


DATABASES = {"default": _database("DATABASE_URL", "integration_hub.sqlite3")}
DATABASE_ROUTERS = []
if SANDBOX_ENABLED:
    # The simulated systems keep their own tables and locks, apart from the hub's.
    DATABASES[SANDBOX_DATABASE] = _database("INTEGRATION_HUB_SANDBOX_DATABASE_URL", "sandbox.sqlite3")
    DATABASE_ROUTERS.append("sandbox.routers.SandboxRouter")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Shared connector state and the task queue -------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Tokens, sessions, rate-limit buckets and breaker state are shared by every worker
# process: in Redis when it is configured, otherwise in the database.
CONNECTOR_STATE_BACKEND = env.choice(
    "INTEGRATION_HUB_CONNECTOR_STATE_BACKEND", "redis" if REDIS_URL else "database", ("database", "redis")
)

Q_CLUSTER = {
    "name": "integration_hub",
    "workers": env.int("INTEGRATION_HUB_Q_WORKERS", default=2, minimum=1),
    "timeout": env.int("INTEGRATION_HUB_Q_TIMEOUT", default=300, minimum=1),
    "retry": env.int("INTEGRATION_HUB_Q_RETRY", default=420, minimum=1),
    "max_attempts": 3,
    "ack_failures": False,
    "catch_up": False,
    "save_limit": 1000,
    "label": _("Background tasks"),
    # Q_CLUSTER_NAME in the environment gives a process a queue of its own (django-q2 needs
    # this key to honour it): two hubs, or two test runs, can then share one Redis.
    "ALT_CLUSTERS": {},
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Passwords, sessions, security -------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True

# Sign-in throttling (django-axes, integration_hub/login_throttle.py): a user name is locked out
# from one address after this many wrong passwords, for this many minutes; a superuser unlocks it
# earlier under Axes › Access attempts. Only the proxies listed may say where a request came from.
INTEGRATION_HUB_LOGIN_FAILURE_LIMIT = env.int("INTEGRATION_HUB_LOGIN_FAILURE_LIMIT", default=5, minimum=1)
INTEGRATION_HUB_LOGIN_LOCKOUT_MINUTES = env.int(
    "INTEGRATION_HUB_LOGIN_LOCKOUT_MINUTES", default=30, minimum=1
)
INTEGRATION_HUB_TRUSTED_PROXIES = env.list("INTEGRATION_HUB_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out pair is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = INTEGRATION_HUB_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=INTEGRATION_HUB_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Logs name the user and the address only; no start-up banner in every command's output.
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "integration_hub.login_throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "integration_hub.login_throttle.locked_out"
X_FRAME_OPTIONS = "DENY"

# --- Language and time -------------------------------------------------------------------
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_CODE = env.choice("LANGUAGE_CODE", "zh-hans", [code for code, _name in LANGUAGES])
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.time_zone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", "staticfiles", BASE_DIR)
# Whitenoise serves from here once `collectstatic` ran (production); in development it
# serves straight from the apps (WHITENOISE_USE_FINDERS) and only needs the folder to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Import / export ---------------------------------------------------------------------
# Set explicitly: import-export otherwise lets every staff user import.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# An audit export of more rows is built in the background and downloaded from its own page.
INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS = env.int(
    "INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS", default=10000
)

# --- Mail (alerts) -----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", "consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="integration-hub@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Connectors --------------------------------------------------------------------------
INTEGRATION_HUB_HTTP_TIMEOUT = env.float("INTEGRATION_HUB_HTTP_TIMEOUT", default=120.0, minimum=0)
INTEGRATION_HUB_HTTP_MAX_RETRIES = env.int("INTEGRATION_HUB_HTTP_MAX_RETRIES", default=4, minimum=0)
INTEGRATION_HUB_RETRY_BASE_SECONDS = env.float("INTEGRATION_HUB_RETRY_BASE_SECONDS", default=1.0, minimum=0)
INTEGRATION_HUB_RETRY_CAP_SECONDS = env.float("INTEGRATION_HUB_RETRY_CAP_SECONDS", default=30.0, minimum=0)

# --- Operations console ------------------------------------------------------------------
# A connector's circuit breaker opens after this many failed calls in a row (each call after
# its retries) and lets one probe through after the cool-down.
INTEGRATION_HUB_BREAKER_FAIL_MAX = env.int("INTEGRATION_HUB_BREAKER_FAIL_MAX", default=5, minimum=1)
INTEGRATION_HUB_BREAKER_RESET_SECONDS = env.float(
    "INTEGRATION_HUB_BREAKER_RESET_SECONDS", default=60.0, minimum=0
)
# Alert mails: a flow failing this many runs in a row; queued tasks waiting this long.
INTEGRATION_HUB_ALERT_FAILED_RUNS = env.int("INTEGRATION_HUB_ALERT_FAILED_RUNS", default=3, minimum=1)
INTEGRATION_HUB_ALERT_QUEUE_STALL_MINUTES = env.int(
    "INTEGRATION_HUB_ALERT_QUEUE_STALL_MINUTES", default=15, minimum=0
)
# The console's address as people reach it (https://hub.example.com): links in alert messages.
INTEGRATION_HUB_PUBLIC_BASE_URL = env.str("INTEGRATION_HUB_PUBLIC_BASE_URL", default="")
# Bearer token a Prometheus server sends to /metrics; empty: only staff logins see the metrics.
INTEGRATION_HUB_METRICS_TOKEN = env.str("INTEGRATION_HUB_METRICS_TOKEN", default="")
# Configuration imports (flows, connectors, value maps): the largest file and the most rows.
INTEGRATION_HUB_IMPORT_MAX_BYTES = env.int(
    "INTEGRATION_HUB_IMPORT_MAX_BYTES", default=5 * 1024 * 1024, minimum=1
)
INTEGRATION_HUB_IMPORT_MAX_ROWS = env.int("INTEGRATION_HUB_IMPORT_MAX_ROWS", default=50_000, minimum=1)
# Days of documents the scheduled reconciliation compares (up to yesterday).
INTEGRATION_HUB_RECONCILIATION_DAYS = env.int("INTEGRATION_HUB_RECONCILIATION_DAYS", default=7, minimum=0)
# Successful record logs are deleted after this many days; failures stay until resolved.
INTEGRATION_HUB_RECORD_RETENTION_DAYS = env.int(
    "INTEGRATION_HUB_RECORD_RETENTION_DAYS", default=30, minimum=0
)
# Webhook signing secrets: any of them verifies a delivery (two while rotating); empty: webhook off.
# Development (DEBUG) falls back to a secret derived from the development keys, so the demo's
# simulated CRM can push its changes; production has no webhook until secrets are set.
INTEGRATION_HUB_WEBHOOK_SECRETS = env.list("INTEGRATION_HUB_WEBHOOK_SECRETS") or (
    [dev_webhook_secret(_dev_keys)] if DEBUG else []
)

# --- Logging -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "connectors.redaction.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.log_level("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
    },
}
