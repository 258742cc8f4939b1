"""Typed readers of environment variables for ``settings.py``.

Each helper returns the default when the variable is unset or empty, and raises
``ImproperlyConfigured`` with a one-line message naming the variable when the
value cannot be understood: a typo in production must stop start-up, not be
silently replaced by a default.
"""

import ipaddress
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def env_str(name: str, default: str = "") -> str:
    return _raw(name) or default


def env_required_str(name: str) -> str:
    value = _raw(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set.")
    return value


def env_production_str(name: str, *, debug: bool, default: str, why: str) -> str:
    """A variable production cannot do without: with ``DEBUG`` off it must be
    set (``why`` says what would go wrong otherwise); a local portal gets the
    default."""
    value = _raw(name)
    if value is not None:
        return value
    if debug:
        return default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off ({why}).")


def env_secret(name: str, *, min_length: int) -> str:
    """A shared secret, empty when unset; a short one is refused rather than
    trusted (``python -c "import secrets; print(secrets.token_urlsafe(32))"``)."""
    value = _raw(name) or ""
    if value and len(value) < min_length:
        raise ImproperlyConfigured(f"{name} must be {min_length} characters at least.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_float(name: str, default: float, *, minimum: float, maximum: float) -> float:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number.") from None
    if not minimum <= number <= maximum:
        raise ImproperlyConfigured(f"{name}={value} is not between {minimum} and {maximum}.")
    return number


def env_choice(name: str, choices: list[str], default: str) -> str:
    """One of ``choices``, whatever the letter case the variable was written in."""
    value = _raw(name)
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_directory(name: str) -> str:
    """The path of an existing folder, empty when unset."""
    value = _raw(name)
    if value is None:
        return ""
    if not Path(value).is_dir():
        raise ImproperlyConfigured(f"{name}={value!r} is not a folder.")
    return value


def env_networks(name: str) -> list[str]:
    """Comma-separated addresses or CIDR networks (``10.0.0.5, 192.168.10.0/24,
    fd00::/8``), each written back in its canonical form; an address is the
    network of that one address."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an address nor a network.") from None
    return networks


_DATABASE_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


# SQLite lets one writer at a time. Without these, a request and the worker
# writing at once fail with "database is locked": a transaction that starts by
# reading cannot take the write lock later without risking a deadlock, so SQLite
# gives up at once. Taking the write lock at BEGIN (IMMEDIATE) makes the second
# writer wait, up to the timeout (seconds); WAL lets readers go on meanwhile.
SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def _sqlite(path: str, options: dict[str, str]) -> dict[str, Any]:
    return {"ENGINE": _DATABASE_ENGINES["sqlite"], "NAME": path, "OPTIONS": {**SQLITE_OPTIONS, **options}}


def env_database(name: str, default_sqlite_path: Path) -> dict[str, Any]:
    """Read a database URL: ``postgres://user:password@host:port/name`` or
    ``sqlite:///absolute/path.sqlite3``; unset means the local SQLite file.

    Query options (``?sslmode=verify-full&connect_timeout=5``) are handed to the
    database driver as they are, in ``OPTIONS``."""
    value = _raw(name)
    if value is None:
        return _sqlite(str(default_sqlite_path), {})
    try:
        url = urlsplit(value)
        port = url.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} is not a valid URL (bad port?).") from None
    engine = _DATABASE_ENGINES.get(url.scheme)
    if engine is None:
        raise ImproperlyConfigured(f"{name} has the unsupported scheme {url.scheme!r} (use postgres:// or sqlite:///).")
    path = unquote(url.path)
    options = dict(parse_qsl(url.query, keep_blank_values=True))
    if url.scheme == "sqlite":
        # As usual for these URLs: sqlite:///relative.sqlite3, sqlite:////absolute.sqlite3.
        file_path = path[1:]
        if not file_path:
            raise ImproperlyConfigured(f"{name} must name a file, as in sqlite:////srv/alphasierra.sqlite3.")
        return _sqlite(file_path, options)
    database = path.lstrip("/")
    if not database:
        raise ImproperlyConfigured(f"{name} must name a database, as in postgres://host/alphasierra.")
    return {
        "ENGINE": engine,
        "NAME": database,
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname or "",
        "PORT": str(port or ""),
        # Persistent connections with health checks: cheap under gunicorn, safe
        # across a database restart.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


def env_redis_url(name: str) -> str | None:
    value = _raw(name)
    if value is None:
        return None
    if urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://.")
    return value
