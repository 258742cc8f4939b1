"""pg_dump and pg_restore reach the database through libpq's environment
variables, built from Django's connection settings: a password never appears
on a command line, where every user of the host could read it."""

import os
import shutil
import subprocess
from typing import Any

from django.db import connection

from alphasierra.operations.backups.folder import BackupError

# libpq's environment variable for each connection parameter a DATABASE_URL
# may carry in its query (?sslmode=verify-full&connect_timeout=5).
LIBPQ_VARIABLES = {
    "application_name": "PGAPPNAME",
    "channel_binding": "PGCHANNELBINDING",
    "client_encoding": "PGCLIENTENCODING",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "gssencmode": "PGGSSENCMODE",
    "hostaddr": "PGHOSTADDR",
    "krbsrvname": "PGKRBSRVNAME",
    "load_balance_hosts": "PGLOADBALANCEHOSTS",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "require_auth": "PGREQUIREAUTH",
    "requirepeer": "PGREQUIREPEER",
    "service": "PGSERVICE",
    "ssl_max_protocol_version": "PGSSLMAXPROTOCOLVERSION",
    "ssl_min_protocol_version": "PGSSLMINPROTOCOLVERSION",
    "sslcert": "PGSSLCERT",
    "sslcrl": "PGSSLCRL",
    "sslcrldir": "PGSSLCRLDIR",
    "sslkey": "PGSSLKEY",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslsni": "PGSSLSNI",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
# OPTIONS that Django or psycopg read themselves: not for libpq.
DRIVER_OPTIONS = {"assume_role", "isolation_level", "pool", "prepare_threshold", "server_side_binding"}


def postgresql_only(doing: str, instead: str) -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            f"{doing} needs PostgreSQL (DATABASE_URL=postgres://…); this portal runs on {connection.vendor}: {instead}"
        )


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The process environment for pg_dump and pg_restore: this one's, with the
    connection of ``settings_dict`` (Django's) in libpq's variables."""
    env = dict(os.environ)
    given = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    for name, value in (settings_dict.get("OPTIONS") or {}).items():
        if name in DRIVER_OPTIONS:
            continue
        if name not in LIBPQ_VARIABLES:
            raise BackupError(f"The option {name!r} of DATABASE_URL has no libpq environment variable to pass it on.")
        given[LIBPQ_VARIABLES[name]] = value
    env.update({name: str(value) for name, value in given.items() if value not in (None, "")})
    return env


def program_run(command: list[str], env: dict[str, str]) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"{command[0]} is missing: install PostgreSQL's client programs (postgresql-client).")
    result = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def table_names(cursor: Any) -> list[str]:
    """Every table of the database, as ``schema.table`` quoted for SQL."""
    cursor.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def table_counts(cursor: Any) -> dict[str, int]:
    """The rows of each table of the database, by ``schema.table``."""
    counts = {}
    for table in table_names(cursor):
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - quoted by table_names
        counts[table] = cursor.fetchone()[0]
    return counts


def latest_migrations(cursor: Any) -> dict[str, str]:
    """The migration each app applied last."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(cursor.fetchall())
