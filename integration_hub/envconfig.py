"""Strict reading of configuration values, for ``settings.py`` alone.

``settings.py`` hands this the process environment (after ``.env`` was merged into it); nothing
else imports it. Two rules hold for every variable:

* an empty value means the default, so ``cp .env.example .env`` is a working configuration;
* a value that cannot be read stops the process at start-up with one line that names the
  variable and what it accepts, instead of a traceback or a silent fallback (``DEBUG=maybe``
  is refused, not taken as production).

The lines are English: they are printed before Django, and so its translations, can load.
"""

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ

TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")


class ConfigError(SystemExit):
    """A configuration value the hub cannot use.

    A ``SystemExit`` so that ``manage.py``, gunicorn (with ``preload_app``) and a plain
    ``import`` all stop with the message alone, exit status 1, and no traceback to read past.
    """

    def __init__(self, name, accepts, value=None):
        shown = f" (got {value!r})" if value is not None else ""
        # Printed before Django (and so the catalogue) is loaded: the line carries both languages.
        super().__init__(
            f"Configuration error: {name}{shown} accepts {accepts}. "
            f"配置错误：无法识别 {name} 的值，可接受的值见上文或 .env.example 中它的说明。"
        )
        self.name = name


class MissingInProduction(SystemExit):
    """A variable production cannot run without; stops the start with one line, like ConfigError."""

    def __init__(self, name):
        super().__init__(
            f"{name} must be set when DEBUG is off (production). See .env.example for how to generate it. "
            f"生产环境（DEBUG 关闭）必须设置 {name}，生成方法见 .env.example。"
        )
        self.name = name


class EnvReader:
    """Typed getters over a mapping of environment variables; see the module docstring."""

    def __init__(self, environ_mapping):
        self.environ = environ_mapping

    def raw(self, name):
        """The value with surrounding blanks removed; ``""`` when unset or empty."""
        return self.environ.get(name, "").strip()

    def str(self, name, default=""):
        return self.raw(name) or default

    def bool(self, name, default):
        value = self.raw(name)
        if not value:
            return default
        if value.lower() in TRUE_WORDS:
            return True
        if value.lower() in FALSE_WORDS:
            return False
        raise ConfigError(name, "true or false (also yes/no, on/off, 1/0)", value)

    def int(self, name, default, minimum=None):
        return self._number(name, default, int, "a whole number", minimum)

    def float(self, name, default, minimum=None):
        return self._number(name, default, float, "a number", minimum)

    def choice(self, name, default, choices):
        value = self.raw(name)
        if not value:
            return default
        if value not in choices:
            raise ConfigError(name, "one of " + ", ".join(choices), value)
        return value

    def list(self, name, default=()):
        """Comma-separated items, blanks around them and empty items dropped."""
        items = [item.strip() for item in self.raw(name).split(",")]
        return [item for item in items if item] or list(default)

    def json_object(self, name, example):
        value = self.raw(name)
        if not value:
            return {}
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ConfigError(name, f"a JSON object such as {example}")
        return parsed

    def path(self, name, default, base_dir):
        """A directory or file path; a relative one is taken from ``base_dir``, never the cwd.

        The web server, the workers and ``manage.py`` may start in different directories;
        they must still find the same keys and databases.
        """
        value = self.raw(name)
        return (Path(base_dir) / (value or default)).resolve()

    def db_url(self, name, default):
        # The value is never echoed: a database URL holds a password.
        value = self.raw(name) or default
        # django-environ would take an unknown scheme for the name of an engine module.
        if urlsplit(value).scheme not in environ.Env.DB_SCHEMES:
            raise ConfigError(name, _DB_URL_ACCEPTS)
        try:
            config = environ.Env.db_url_config(value)
        except Exception as error:  # django-environ raises several types for one bad URL
            raise ConfigError(name, _DB_URL_ACCEPTS) from error
        if not config.get("ENGINE"):
            raise ConfigError(name, _DB_URL_ACCEPTS)
        return config

    def email_url(self, name, default):
        value = self.raw(name) or default
        try:
            return environ.Env.email_url_config(value)
        except Exception as error:  # unknown schemes are ImproperlyConfigured, bad ports ValueError
            raise ConfigError(
                name, "a mail URL such as smtp://user:password@smtp.example.com:587/?tls=True"
            ) from error

    def log_level(self, name, default):
        return self.choice(name, default, tuple(logging.getLevelNamesMapping()))

    def time_zone(self, name, default):
        value = self.raw(name) or default
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ConfigError(name, "an IANA time zone such as Asia/Shanghai", value) from error
        return value

    def _number(self, name, default, kind, words, minimum):
        value = self.raw(name)
        if not value:
            return default
        try:
            number = kind(value)
        except ValueError:
            number = None
        if number is None or (minimum is not None and number < minimum):
            bound = f" of at least {minimum}" if minimum is not None else ""
            raise ConfigError(name, words + bound, value)
        return number


_DB_URL_ACCEPTS = (
    "a database URL such as postgres://user:password@host:5432/name or sqlite:////absolute/path.sqlite3"
)
