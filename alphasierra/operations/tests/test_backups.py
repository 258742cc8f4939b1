"""Backups and restores (``manage.py backup``, ``manage.py restore``), with the
real pg_dump and pg_restore: a backup of the personas and an uploaded image,
restored into a new database and media folder, gives every row and the image
back; a damaged backup, one made by a newer release, a database with tables or
a media folder in use are refused before anything is touched; a table restored
with other rows than the backup's fails the restore; old backups go, the
others stay.

The restore drill of the production smoke test runs the same commands."""

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image as Pillow

from alphasierra.agents.models import Agent
from alphasierra.content.models import Image
from alphasierra.content.services.images import image_upload
from alphasierra.operations.backups.folder import DUMP, MANIFEST, MEDIA, BackupError
from alphasierra.operations.backups.making import backups_prune
from alphasierra.operations.backups.postgres import libpq_environment, table_counts
from alphasierra.organisations.models import Organisation
from alphasierra.tests.cast import cast_build
from alphasierra.tests.production import database_url_named, recreate_database

BASE_DIR = Path(__file__).resolve().parents[3]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are pg_dump's and pg_restore's: PostgreSQL only"
)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in a process of its own, as an operator runs it."""
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=os.environ | env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def backup(directory: Path) -> Path:
    out = io.StringIO()
    call_command("backup", directory=directory, stdout=out)
    return Path(out.getvalue().splitlines()[-1])


def rows_of(cursor: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in an order of their own."""
    rows = {}
    for table in table_counts(cursor):
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - quoted by table_counts
        rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Pillow.new("RGB", (40, 30), "teal").save(out, "JPEG")
    return SimpleUploadedFile("car.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def saved(transactional_db: None, media: Path, tmp_path: Path) -> Path:
    """A backup of the personas and an image of Sud-Ouest, committed for pg_dump to see them."""
    cast = cast_build()
    image_upload(organisation=Organisation.objects.get(slug="sud-ouest"), actor=cast.bruno, upload=jpeg(), alt="Le car")
    return backup(tmp_path / "backups")


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new database with no table beside the test database: its URL."""
    url = os.environ["DATABASE_URL"]
    name = f"{connection.settings_dict['NAME']}_restored"
    recreate_database(url, name)
    yield database_url_named(url, name)
    recreate_database(url, name, drop_only=True)


@postgresql_only
def test_a_backup_restored_into_a_new_database_gives_back_every_row_and_image(
    saved: Path, media: Path, empty_database: str, tmp_path: Path
):
    restored_media = tmp_path / "restored-media"

    restore = manage("restore", str(saved), DATABASE_URL=empty_database, MEDIA_ROOT=str(restored_media))

    assert restore.returncode == 0, restore.stderr
    # Both read the same way: Django's connection decodes some types its own way.
    source = database_url_named(os.environ["DATABASE_URL"], connection.settings_dict["NAME"])
    with psycopg.connect(source) as saved_from, saved_from.cursor() as cursor:
        before = rows_of(cursor)
    with psycopg.connect(empty_database) as restored, restored.cursor() as cursor:
        after = rows_of(cursor)
    assert "public.agents_agent" in before
    assert after == before
    stored = str(Image.objects.get().file.name)
    assert (restored_media / stored).read_bytes() == (media / stored).read_bytes()


@postgresql_only
def test_a_backup_is_a_new_folder_with_its_manifest_named_on_the_last_line(saved: Path, tmp_path: Path):
    manifest = json.loads((saved / MANIFEST).read_text())

    assert saved.parent == tmp_path / "backups"
    assert saved.name.startswith("alphasierra-")
    assert sorted(path.name for path in saved.iterdir()) == [DUMP, MANIFEST, MEDIA]
    assert sorted(path.name for path in saved.parent.iterdir()) == [saved.name]  # nothing half-made left
    assert manifest["tables"]["public.agents_agent"] == Agent.objects.count() > 0
    assert manifest["migrations"]["agents"] == "0006_family_spouse_first"
    assert manifest["media_files"] == 1
    assert {name: manifest["files"][name]["size"] for name in (DUMP, MEDIA)} == {
        name: (saved / name).stat().st_size for name in (DUMP, MEDIA)
    }
    assert {path.stat().st_mode & 0o777 for path in saved.iterdir()} == {0o600}


@postgresql_only
@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda folder: (folder / DUMP).write_bytes((folder / DUMP).read_bytes()[:-1] + b"?"), DUMP),
        (lambda folder: (folder / MEDIA).unlink(), MEDIA),
        (lambda folder: (folder / MANIFEST).write_text("{"), MANIFEST),
    ],
    ids=["a byte changed in the dump", "the images missing", "the manifest cut short"],
)
def test_a_damaged_backup_is_refused_and_nothing_touched(saved: Path, settings, tmp_path: Path, damage, named):
    damage(saved)
    settings.MEDIA_ROOT = tmp_path / "new-media"
    counts = table_counts(connection.cursor())

    with pytest.raises(CommandError, match=named):
        call_command("restore", saved)

    assert not settings.MEDIA_ROOT.exists()
    assert table_counts(connection.cursor()) == counts


def _manifest_edit(folder: Path, edit) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    edit(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest))


@postgresql_only
def test_a_backup_made_by_a_newer_release_is_refused(saved: Path, settings, tmp_path: Path):
    _manifest_edit(saved, lambda manifest: manifest["migrations"].update(agents="0099_later"))
    settings.MEDIA_ROOT = tmp_path / "new-media"

    with pytest.raises(CommandError, match=r"newer release \(agents.0099_later unknown here\)"):
        call_command("restore", saved)

    assert not settings.MEDIA_ROOT.exists()


@postgresql_only
def test_a_restored_table_whose_rows_differ_from_the_manifest_fails_naming_it(
    saved: Path, empty_database: str, tmp_path: Path
):
    _manifest_edit(saved, lambda manifest: manifest["tables"].update({"public.agents_agent": 1000}))

    restore = manage("restore", str(saved), DATABASE_URL=empty_database, MEDIA_ROOT=str(tmp_path / "restored"))

    assert restore.returncode == 1
    assert "differs from the backup" in restore.stderr
    assert "public.agents_agent: 1000 in the backup" in restore.stderr
    assert not (tmp_path / "restored").exists()


@postgresql_only
def test_a_database_with_tables_is_refused_with_how_to_make_an_empty_one(saved: Path, settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "new-media"
    counts = table_counts(connection.cursor())

    with pytest.raises(CommandError, match=r"is not empty .*createdb"):
        call_command("restore", saved)

    assert not settings.MEDIA_ROOT.exists()
    assert table_counts(connection.cursor()) == counts


@postgresql_only
def test_a_media_folder_in_use_is_refused_before_the_database_is_written(
    saved: Path, empty_database: str, tmp_path: Path
):
    in_use = tmp_path / "in-use"
    in_use.mkdir()
    (in_use / "photo.jpg").write_bytes(b"someone's image")

    restore = manage("restore", str(saved), DATABASE_URL=empty_database, MEDIA_ROOT=str(in_use))

    assert restore.returncode == 1
    assert "MEDIA_ROOT" in restore.stderr
    assert [path.name for path in in_use.iterdir()] == ["photo.jpg"]
    with psycopg.connect(empty_database) as database, database.cursor() as cursor:
        assert table_counts(cursor) == {}


@postgresql_only
def test_a_failed_backup_leaves_no_folder(transactional_db: None, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))

    with pytest.raises(CommandError, match="pg_dump is missing"):
        backup(tmp_path / "backups")

    assert list((tmp_path / "backups").iterdir()) == []


def _made(directory: Path, when: datetime, *, manifest: bool = True) -> Path:
    folder = directory / f"alphasierra-{when:%Y%m%dT%H%M%SZ}"
    folder.mkdir()
    if manifest:
        (folder / MANIFEST).write_text("{}")
    return folder


def test_retention_deletes_only_our_backups_older_than_the_days_kept(tmp_path: Path):
    now = datetime(2026, 11, 28, 3, 17, tzinfo=UTC)
    old = _made(tmp_path, now - timedelta(days=15))
    older = _made(tmp_path, now - timedelta(days=40))
    recent = _made(tmp_path, now - timedelta(days=13, hours=23))
    unfinished = _made(tmp_path, now - timedelta(days=30), manifest=False)
    foreign = tmp_path / "alphasierra-notes"
    foreign.mkdir()
    just_made = _made(tmp_path, now - timedelta(days=20))  # a clock set wrong still keeps the newest

    deleted = backups_prune(directory=tmp_path, keep_days=14, now=now, keep=just_made)

    assert deleted == [older, old]
    assert sorted(tmp_path.iterdir()) == sorted([recent, unfinished, foreign, just_made])


def test_the_password_goes_to_pg_dump_by_its_environment_with_the_url_options():
    settings_dict = {
        "NAME": "alphasierra",
        "USER": "portal",
        "PASSWORD": "s3cret",
        "HOST": "db.internal",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "verify-full", "options": "-c synchronous_commit=off", "server_side_binding": True},
    }

    env = libpq_environment(settings_dict)

    expected = {
        "PGDATABASE": "alphasierra",
        "PGUSER": "portal",
        "PGPASSWORD": "s3cret",
        "PGHOST": "db.internal",
        "PGPORT": "5433",
        "PGSSLMODE": "verify-full",
        "PGOPTIONS": "-c synchronous_commit=off",
    }
    assert {name: env.get(name) for name in expected} == expected
    assert env["PATH"] == os.environ["PATH"]
    with pytest.raises(BackupError, match="sslpassword"):
        libpq_environment(settings_dict | {"OPTIONS": {"sslpassword": "x"}})


@pytest.mark.parametrize("command", [["backup", "--directory", "backups"], ["restore", "backups/alphasierra-x"]])
def test_sqlite_is_refused_with_what_to_do_instead(tmp_path: Path, command: list[str]):
    run = manage(*command, DATABASE_URL=f"sqlite:///{tmp_path}/portal.sqlite3", VAR_DIR=str(tmp_path))

    assert run.returncode == 1
    assert "needs PostgreSQL" in run.stderr
    assert "instead" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not (BASE_DIR / "backups").exists()
