"""A new backup (``manage.py backup``), then the older ones past their days deleted."""

import json
import shutil
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

from alphasierra.operations.backups.folder import (
    DUMP,
    FILES,
    FOLDER_NAME,
    FORMAT,
    MANIFEST,
    MEDIA,
    STAMP,
    BackupError,
    file_digest,
)
from alphasierra.operations.backups.postgres import (
    latest_migrations,
    libpq_environment,
    postgresql_only,
    program_run,
    table_counts,
)


@dataclass
class Backup:
    folder: Path
    manifest: dict[str, Any]
    seconds: float
    deleted: list[Path] = field(default_factory=list)


def _media_archive(media_root: Path, archive: Path) -> int:
    """``media_root`` into the tar file ``archive``; the number of files."""
    with tarfile.open(archive, "w") as tar:
        if media_root.is_dir():
            for entry in sorted(media_root.iterdir()):
                tar.add(entry, arcname=entry.name)
        return sum(1 for member in tar.getmembers() if member.isfile())


def backup_make(*, directory: Path, keep_days: int, now: datetime | None = None) -> Backup:
    """A new backup folder in ``directory``, then the backups there older than
    ``keep_days`` deleted (never this one).

    The folder is written under a hidden temporary name and renamed once
    complete: a folder named like a backup is always a whole one. The table
    counts and migrations of the manifest are read in the very snapshot
    pg_dump saves (``--snapshot``), so they match the dump even while the
    portal keeps writing. The images are archived after that snapshot: every
    image it names was stored before it (``content.services.images``), but
    one deleted in the meantime."""
    postgresql_only(
        "A backup",
        f"stop it and copy {connection.settings_dict['NAME']} and MEDIA_ROOT ({settings.MEDIA_ROOT}) instead.",
    )
    started = time.monotonic()
    now = now or datetime.now(UTC)
    directory.mkdir(parents=True, exist_ok=True)
    folder = directory / f"alphasierra-{now:{STAMP}}"
    if folder.exists():
        raise BackupError(f"{folder} already exists: wait a second and try again.")
    env = libpq_environment(connection.settings_dict)
    # Readable by the portal's user alone (mkdtemp's 0700, files 0600): a
    # backup holds every family's personal data.
    work = Path(tempfile.mkdtemp(prefix=".incomplete-", dir=directory))
    try:
        snapshot = connection.get_new_connection(connection.get_connection_params())
        try:
            snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            snapshot.read_only = True
            with snapshot.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot_id, server_version = cursor.fetchone()
                counts = table_counts(cursor)
                migrations = latest_migrations(cursor)
                dump = ["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot_id}"]
                program_run([*dump, f"--file={work / DUMP}"], env)
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
