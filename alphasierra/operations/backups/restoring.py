"""A backup restored (``manage.py restore``): checked whole first, then
written into an empty database and an empty MEDIA_ROOT, then compared."""

import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from alphasierra.operations.backups.folder import DUMP, MEDIA, BackupError, backup_check
from alphasierra.operations.backups.postgres import (
    libpq_environment,
    postgresql_only,
    program_run,
    table_counts,
    table_names,
)


@dataclass
class Restored:
    tables: int
    rows: int
    media_files: int
    pending_migrations: int
    seconds: float


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """The migrations of the backup that this release does not have: a backup
    made by a newer release."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    known_apps = {app for app, _name in known}
    return [
        f"{app}.{name}"
        for app, name in sorted(manifest.get("migrations", {}).items())
        if app in known_apps and (app, name) not in known
    ]


def backup_restore(*, folder: Path) -> Restored:
    """Restores the backup in ``folder`` into the database of DATABASE_URL,
    which must have no table, and its images into MEDIA_ROOT, which must be
    empty. Everything is checked before anything is written."""
    postgresql_only("A restore", "stop it and put back the copies of its database file and MEDIA_ROOT instead.")
    started = time.monotonic()
    name = connection.settings_dict["NAME"]
    manifest = backup_check(folder)
    newer = _unknown_migrations(manifest)
    if newer:
        raise BackupError(
            f"The backup was made by a newer release ({', '.join(newer)} unknown here): install that release first."
        )
    with connection.cursor() as cursor:
        present = table_names(cursor)
    if present:
        raise BackupError(
            f"The database {name} is not empty ({len(present)} tables): restore into a new one, "
            f"created empty with `createdb --owner=<the portal's user> <name>`, and point DATABASE_URL at it."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({media_root}) is not empty: point it at a new or empty folder.")

    env = libpq_environment(connection.settings_dict)
    restore = ["pg_restore", "--no-owner", "--exit-on-error", "--jobs=2", "--no-password", f"--dbname={name}"]
    try:
        program_run([*restore, str(folder / DUMP)], env)
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
