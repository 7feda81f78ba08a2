"""Integration Hub settings: the only module that reads the environment.

With no configuration at all the project runs as a local trial: SQLite, django-q2's ORM
broker, the sandboxes switched on and development keys generated once into ``var/``.
Production (``DEBUG=False``) refuses to start without ``SECRET_KEY`` and
``INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS``. Every variable is listed in ``.env.example``.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from integration_hub.devkeys import dev_webhook_secret, load_or_create_dev_keys

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=True)
DATA_DIR = Path(env.str("INTEGRATION_HUB_DATA_DIR", default=str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _require_in_production(name, value):
    if not value and not DEBUG:
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (production). See .env.example for how to generate it."
        )
    return value


# --- Secrets -----------------------------------------------------------------------------
# Development falls back to keys generated once and kept in DATA_DIR; production never does.
_dev_keys = load_or_create_dev_keys(DATA_DIR) if DEBUG else {}
SECRET_KEY = (
    _require_in_production("SECRET_KEY", env.str("SECRET_KEY", default="")) or _dev_keys["secret_key"]
)
# Fernet keys for credentials at rest: the first encrypts, all decrypt (MultiFernet).
FIELD_ENCRYPTION_KEYS = _require_in_production(
    "INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS",
    env.list("INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS", default=[]),
) or [_dev_keys["field_encryption_key"]]

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ------------------------------------------------------------------------
# The sandboxes simulate Fxiaoke and K3Cloud; they are never served in production.
SANDBOX_ENABLED = env.bool("INTEGRATION_HUB_SANDBOX_ENABLED", default=DEBUG)
# Fault switches applied when a sandbox server starts, e.g. {"k3cloud": {"latency_ms": 20}}.
SANDBOX_FAULTS = env.json("INTEGRATION_HUB_SANDBOX_FAULTS", default={})

INSTALLED_APPS = [
    "integration_hub.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "import_export",
    "simple_history",
    "connectors",
    "syncjobs",
    "sandbox",
    "sandbox.k3cloud",
    "sandbox.fxiaoke",
    "sandbox.im",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
    "timeout": env.int("INTEGRATION_HUB_SQLITE_TIMEOUT", default=30),
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


DATABASES = {
    "default": _database("DATABASE_URL", "integration_hub.sqlite3"),
    # The simulated systems keep their own tables and locks, apart from the hub's.
    "sandbox": _database("INTEGRATION_HUB_SANDBOX_DATABASE_URL", "sandbox.sqlite3"),
}
DATABASE_ROUTERS = ["sandbox.routers.SandboxRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Shared connector state and the task queue -------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Tokens, sessions, rate-limit buckets and breaker state are shared by every worker
# process: in Redis when it is configured, otherwise in the database.
CONNECTOR_STATE_BACKEND = env.str(
    "INTEGRATION_HUB_CONNECTOR_STATE_BACKEND", default="redis" if REDIS_URL else "database"
)

Q_CLUSTER = {
    "name": "integration_hub",
    "workers": env.int("INTEGRATION_HUB_Q_WORKERS", default=2),
    "timeout": env.int("INTEGRATION_HUB_Q_TIMEOUT", default=300),
    "retry": env.int("INTEGRATION_HUB_Q_RETRY", default=420),
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
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Language and time -------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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
EXPORT_IN_BACKGROUND_ROWS = env.int("INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS", default=20000)

# --- Mail (alerts) -----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="integration-hub@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Connectors --------------------------------------------------------------------------
INTEGRATION_HUB_HTTP_TIMEOUT = env.float("INTEGRATION_HUB_HTTP_TIMEOUT", default=120.0)
INTEGRATION_HUB_HTTP_MAX_RETRIES = env.int("INTEGRATION_HUB_HTTP_MAX_RETRIES", default=4)
INTEGRATION_HUB_RETRY_BASE_SECONDS = env.float("INTEGRATION_HUB_RETRY_BASE_SECONDS", default=1.0)
INTEGRATION_HUB_RETRY_CAP_SECONDS = env.float("INTEGRATION_HUB_RETRY_CAP_SECONDS", default=30.0)

# --- Operations console ------------------------------------------------------------------
# A connector's circuit breaker opens after this many failed calls in a row (each call after
# its retries) and lets one probe through after the cool-down.
INTEGRATION_HUB_BREAKER_FAIL_MAX = env.int("INTEGRATION_HUB_BREAKER_FAIL_MAX", default=5)
INTEGRATION_HUB_BREAKER_RESET_SECONDS = env.float("INTEGRATION_HUB_BREAKER_RESET_SECONDS", default=60.0)
# Alert mails: a flow failing this many runs in a row; queued tasks waiting this long.
INTEGRATION_HUB_ALERT_FAILED_RUNS = env.int("INTEGRATION_HUB_ALERT_FAILED_RUNS", default=3)
INTEGRATION_HUB_ALERT_QUEUE_STALL_MINUTES = env.int("INTEGRATION_HUB_ALERT_QUEUE_STALL_MINUTES", default=15)
# The console's address as people reach it (https://hub.example.com): links in alert messages.
INTEGRATION_HUB_PUBLIC_BASE_URL = env.str("INTEGRATION_HUB_PUBLIC_BASE_URL", default="")
# Days of documents the scheduled reconciliation compares (up to yesterday).
INTEGRATION_HUB_RECONCILIATION_DAYS = env.int("INTEGRATION_HUB_RECONCILIATION_DAYS", default=7)
# Successful record logs are deleted after this many days; failures stay until resolved.
INTEGRATION_HUB_RECORD_RETENTION_DAYS = env.int("INTEGRATION_HUB_RECORD_RETENTION_DAYS", default=30)
# Webhook signing secrets: any of them verifies a delivery (two while rotating); empty: webhook off.
# Development (DEBUG) falls back to a secret derived from the development keys, so the demo's
# simulated CRM can push its changes; production has no webhook until secrets are set.
INTEGRATION_HUB_WEBHOOK_SECRETS = env.list("INTEGRATION_HUB_WEBHOOK_SECRETS", default=[]) or (
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
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
    },
}
