"""The local portal's SQLite file with two writers at once: the worker sending
an e-mail while a request approves a registration."""

import threading
from collections.abc import Iterator

import pytest
from django.db import connections, transaction

from alphasierra.env import env_database

ALIAS = "sqlite_writers"


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch, django_db_blocker) -> Iterator[str]:
    """A database alias on a SQLite file, configured as settings.py configures
    the local portal's (each thread gets its own connection)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/portal.sqlite3")
    configured = connections.configure_settings({"default": {}, ALIAS: env_database("DATABASE_URL", tmp_path)})
    connections.settings[ALIAS] = configured[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, note TEXT)")
        connections[ALIAS].close()
        yield ALIAS
    del connections.settings[ALIAS]


def test_a_second_writer_waits_for_the_first_instead_of_failing(sqlite_file):
    read_done = threading.Event()
    second_wrote = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        # Reads, then writes in the same transaction, as a service does.
        try:
            with transaction.atomic(using=sqlite_file), connections[sqlite_file].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM outbox")
                read_done.set()
                second_wrote.wait(timeout=1)  # with the write lock held, the other cannot write yet
                cursor.execute("INSERT INTO outbox (note) VALUES ('approval')")
        except BaseException as error:
            errors.append(error)
        finally:
            read_done.set()
            connections[sqlite_file].close()

    def second() -> None:
        read_done.wait(timeout=10)
        try:
            with transaction.atomic(using=sqlite_file), connections[sqlite_file].cursor() as cursor:
                cursor.execute("INSERT INTO outbox (note) VALUES ('worker')")
                second_wrote.set()
        except BaseException as error:
            errors.append(error)
        finally:
            second_wrote.set()
            connections[sqlite_file].close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    with connections[sqlite_file].cursor() as cursor:
        cursor.execute("SELECT note FROM outbox ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["approval", "worker"]
    connections[sqlite_file].close()
