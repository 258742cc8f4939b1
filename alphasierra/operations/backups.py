"""Backups of the portal and their restore (README, « Backup and restore »).

A backup is a folder ``alphasierra-<UTC time>/`` holding ``database.dump``
(``pg_dump --format=custom``), ``media.tar`` (the uploaded images of
MEDIA_ROOT) and ``manifest.json``: what was saved (the latest migration of each
app, the rows of each table) and the size and SHA-256 of each file, so that a
restore can tell a damaged or incomplete backup before touching anything.

pg_dump and pg_restore reach the database through libpq's environment
variables, built from Django's connection settings: a password never appears
on a command line, where every user of the host could read it.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar"
MANIFEST = "manifest.json"
FILES = (DUMP, MEDIA)
FOLDER_PREFIX = "alphasierra-"
STAMP = "%Y%m%dT%H%M%SZ"
FOLDER_NAME = re.compile(r"^alphasierra-(\d{8}T\d{6}Z)$")

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


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says what to do."""


@dataclass
class Backup:
    folder: Path
    manifest: dict[str, Any]
    seconds: float
    deleted: list[Path] = field(default_factory=list)


@dataclass
class Restored:
    tables: int
    rows: int
    media_files: int
    pending_migrations: int
    seconds: float


def _postgresql_only(doing: str, instead: str) -> None:
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


def _run(command: list[str], env: dict[str, str]) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"{command[0]} is missing: install PostgreSQL's client programs (postgresql-client).")
    result = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def table_counts(cursor: Any) -> dict[str, int]:
    """The rows of each table of the database, by ``schema.table``."""
    counts = {}
    for table in _tables(cursor):
        # The names come quoted from quote_ident above.
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _latest_migrations(cursor: Any) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(cursor.fetchall())


def file_digest(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def _media_archive(media_root: Path, archive: Path) -> int:
    files = 0
    with tarfile.open(archive, "w") as tar:
        if media_root.is_dir():
            for entry in sorted(media_root.iterdir()):
                tar.add(entry, arcname=entry.name)
            files = sum(1 for member in tar.getmembers() if member.isfile())
    return files


def backup_make(*, directory: Path, keep_days: int, now: datetime | None = None) -> Backup:
    """A new backup folder in ``directory``, then the backups there older than
    ``keep_days`` deleted (never this one).

    The folder is written under a hidden temporary name and renamed once
    complete: a folder named like a backup is always a whole one. The table
    counts and migrations of the manifest are read in the very snapshot
    pg_dump saves (``--snapshot``), so they match the dump even while the
    portal keeps writing."""
    _postgresql_only(
        "A backup",
        f"stop it and copy {connection.settings_dict['NAME']} and MEDIA_ROOT ({settings.MEDIA_ROOT}) instead.",
    )
    started = time.monotonic()
    now = now or datetime.now(UTC)
    directory.mkdir(parents=True, exist_ok=True)
    folder = directory / f"{FOLDER_PREFIX}{now:{STAMP}}"
    if folder.exists():
        raise BackupError(f"{folder} already exists: wait a second and try again.")
    env = libpq_environment(connection.settings_dict)
    # Private to the portal's user: the backup holds every family's personal data.
    work = Path(tempfile.mkdtemp(prefix=".incomplete-", dir=directory))
    try:
        snapshot = connection.get_new_connection(connection.get_connection_params())
        try:
            # One snapshot for every read below and for pg_dump.
            snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            snapshot.read_only = True
            with snapshot.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot_id, server_version = cursor.fetchone()
                counts = table_counts(cursor)
                migrations = _latest_migrations(cursor)
                _run(["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot_id}",
                      f"--file={work / DUMP}"], env)  # fmt: skip
        finally:
            snapshot.close()
        media_files = _media_archive(Path(settings.MEDIA_ROOT), work / MEDIA)
        manifest = {
            "format": FORMAT,
            "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "database": connection.settings_dict["NAME"],
            "postgresql": server_version,
            "migrations": migrations,
            "tables": counts,
            "media_files": media_files,
            "files": {name: file_digest(work / name) for name in FILES},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        for name in (*FILES, MANIFEST):
            (work / name).chmod(0o600)
        work.rename(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    deleted = backups_prune(directory=directory, keep_days=keep_days, now=now, keep=folder)
    return Backup(folder=folder, manifest=manifest, seconds=time.monotonic() - started, deleted=deleted)


def backups_prune(*, directory: Path, keep_days: int, now: datetime, keep: Path) -> list[Path]:
    """Deletes the backups of ``directory`` made more than ``keep_days`` before
    ``now``, but ``keep``. Only folders named as ``backup_make`` names them and
    holding a manifest: nothing else that may lie there."""
    deleted = []
    for folder in sorted(directory.iterdir()):
        named = FOLDER_NAME.match(folder.name)
        if not named or folder == keep or not (folder / MANIFEST).is_file():
            continue
        made = datetime.strptime(named.group(1), STAMP).replace(tzinfo=UTC)
        if made < now - timedelta(days=keep_days):
            shutil.rmtree(folder)
            deleted.append(folder)
    return deleted


def backup_check(folder: Path) -> dict[str, Any]:
    """The manifest of the backup in ``folder``, once each of its files has
    the size and the SHA-256 it records; ``BackupError`` otherwise."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
    except (ValueError, OSError) as error:
        raise BackupError(f"{folder / MANIFEST} cannot be read: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / MANIFEST} is not a manifest of format {FORMAT}.")
    recorded = manifest.get("files") or {}
    for name in FILES:
        path = folder / name
        if name not in recorded:
            raise BackupError(f"{folder / MANIFEST} does not list {name}: the backup is incomplete.")
        if not path.is_file():
            raise BackupError(f"{path} is missing: the backup is incomplete.")
        if file_digest(path) != recorded[name]:
            raise BackupError(f"{path} is damaged: its size or SHA-256 differs from the manifest's.")
    return manifest


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """The migrations of the backup that this release does not have: a backup
    made by a newer release."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known_apps = {app for app, _name in loader.disk_migrations}
    return [
        f"{app}.{name}"
        for app, name in sorted(manifest.get("migrations", {}).items())
        if app in known_apps and (app, name) not in loader.disk_migrations
    ]


def backup_restore(*, folder: Path) -> Restored:
    """Restores the backup in ``folder`` into the database of DATABASE_URL,
    which must have no table, and its images into MEDIA_ROOT, which must be
    empty. Everything is checked before anything is written."""
    _postgresql_only("A restore", "stop it and put back the copies of its database file and MEDIA_ROOT instead.")
    started = time.monotonic()
    name = connection.settings_dict["NAME"]
    manifest = backup_check(folder)
    newer = _unknown_migrations(manifest)
    if newer:
        raise BackupError(
            f"The backup was made by a newer release ({', '.join(newer)} unknown here): install that release first."
        )
    with connection.cursor() as cursor:
        present = _tables(cursor)
    if present:
        raise BackupError(
            f"The database {name} is not empty ({len(present)} tables): restore into a new one, "
            f"created empty with `createdb --owner=<the portal's user> <name>`, and point DATABASE_URL at it."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({media_root}) is not empty: point it at a new or empty folder.")

    env = libpq_environment(connection.settings_dict)
    try:
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--jobs=2", "--no-password", f"--dbname={name}",
              str(folder / DUMP)], env)  # fmt: skip
    except BackupError as error:
        raise BackupError(f"{error}\nThe database {name} is partly restored: drop it and create it again.") from None
    with connection.cursor() as cursor:
        counts = table_counts(cursor)
    expected = manifest["tables"]
    differences = [
        f"{table}: {expected.get(table, 'absent')} in the backup, {counts.get(table, 'absent')} restored"
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)
    ]
    if differences:
        raise BackupError(f"The restored database {name} differs from the backup:\n" + "\n".join(differences))

    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA) as tar:
        # The "data" filter refuses absolute paths, links leaving the folder, devices.
        tar.extractall(media_root, filter="data")
        media_files = sum(1 for member in tar.getmembers() if member.isfile())
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return Restored(
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=media_files,
        pending_migrations=len(pending),
        seconds=time.monotonic() - started,
    )
