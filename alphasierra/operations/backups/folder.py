"""A backup is a folder ``alphasierra-<UTC time>/`` holding ``database.dump``
(``pg_dump --format=custom``), ``media.tar`` (the uploaded images of
MEDIA_ROOT) and ``manifest.json``: what was saved (the latest migration of each
app, the rows of each table) and the size and SHA-256 of each file, so that a
restore can tell a damaged or incomplete backup before touching anything."""

import hashlib
import json
import re
from pathlib import Path
from typing import Any

FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar"
MANIFEST = "manifest.json"
FILES = (DUMP, MEDIA)
STAMP = "%Y%m%dT%H%M%SZ"
FOLDER_NAME = re.compile(r"^alphasierra-(\d{8}T\d{6}Z)$")


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says what to do."""


def file_digest(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


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
