"""Test settings and shared fixtures.

Tests run against the real database named by DATABASE_URL (SQLite by default,
PostgreSQL in CI). Only what makes them slow is swapped: a fast password hasher,
a local-memory cache, tasks run immediately; Django's test set-up keeps e-mail
in memory. Tests about
hashing, caching or tasks override these settings themselves.
"""

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import Browser, Page, sync_playwright

from alphasierra.tests.chromium import chromium_launch

if TYPE_CHECKING:
    from alphasierra.tests.cast import Cast
    from alphasierra.tests.page_types import SweptPortal
    from alphasierra.tests.replay import Replay

# Hypothesis explores new inputs on each developer run; CI replays a fixed set,
# so that a submission lands or not on its own merits.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.core.signals import setting_changed
    from django.test.testcases import LiveServerThread

    from alphasierra.tests.live_server import OneRequestAtATimeServer

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        LiveServerThread.server_class = OneRequestAtATimeServer

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The page cache renews a site's pages once a change is committed, and a
    # test's own transaction never commits: a test that changes rows then reads
    # a page would be served the page from before. Its own tests turn it on
    # (the ``page_cache`` fixture), the production smoke test runs with it.
    settings.PAGE_CACHE_SECONDS = 0
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Django is set up by now and the task modules imported (mail.services enqueues
    # mail.tasks' task): the handler of task backends forgets the production one.
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    # Images uploaded by a test land in a folder of its own, never in var/media
    # (tests about storing them point MEDIA_ROOT at their own tmp_path).
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="alphasierra-test-media-")
    setting_changed.send(sender=None, setting="MEDIA_ROOT", value=settings.MEDIA_ROOT, enter=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    from django.conf import settings

    if "alphasierra-test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """A real headless Chromium, shared by the browser tests of a session."""
    # Playwright's sync API runs an event loop in this thread; the Django test
    # database is still accessed synchronously from it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = chromium_launch(playwright)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def live_portal(live_server: Any, transactional_db: None) -> str:
    """The portal served on a real port, with its 17 sites.

    Transactional tests end with a flush that empties every table, the sites
    seeded by the data migration included: they are seeded again here.
    """
    from alphasierra.organisations.models import Organisation
    from alphasierra.organisations.sites import sites_seed

    sites_seed(Organisation)
    return str(live_server.url)


@pytest.fixture
def cast(db: None) -> "Cast":
    """The personas of DESIGN.md (``alphasierra.tests.cast.Cast``), built through
    the real services, then replayed (see ``alphasierra/tests/replay.py``)."""
    global _cast_replay
    if _cast_replay is None:
        from alphasierra.tests.cast import cast_read, cast_write
        from alphasierra.tests.replay import Replay

        _cast_replay = Replay(cast_write, cast_read)
    return _cast_replay()


# The cast of a test process: built once, then replayed.
_cast_replay: "Replay[Cast] | None" = None


@pytest.fixture(scope="session")
def _swept_portal(browser: Browser, django_db_setup: None, django_db_blocker: Any) -> "Iterator[SweptPortal]":
    """The portal of the sweeps over every page type, served once per test
    process, with its world built once (``page_types.SweptPortal``).

    Its data is committed, for the live server to read. That is safe because
    the sweeps ask for no database of their own: pytest-django runs them after
    every test that does (each of those rolls back or flushes its own), and no
    test after them reads the database; the flush at the end leaves it empty,
    as a transactional test would. When only sweeps run, pytest-django sets no
    test database up: it is set up here, never the portal's own.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.live_server_helper import LiveServer

    from alphasierra.accounts.models import User
    from alphasierra.tests.cast import cast_build
    from alphasierra.tests.page_types import SweptPortal

    def is_test_database() -> bool:
        if connection.vendor == "sqlite":
            return bool(connection.is_in_memory_db())  # type: ignore[attr-defined]
        return str(connection.settings_dict["NAME"]).startswith(TEST_DATABASE_PREFIX)

    with django_db_blocker.unblock():
        own_database = None if is_test_database() else setup_databases(verbosity=0, interactive=False)
        assert is_test_database()
        if User.objects.exists():
            raise RuntimeError("The sweeps' world is built in an empty database: they must run last.")
    server = LiveServer("localhost")
    try:
        with django_db_blocker.unblock():
            portal = SweptPortal(browser, server.url, cast_build())
        yield portal
        portal.close()
    finally:
        server.stop()
        # The server answers each of the browser's connections in a thread of
        # its own, which closes its database connection once the browser has
        # closed the socket: the database is dropped at the end of the session.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
            thread.is_alive() and "process_request_thread" in thread.name for thread in threading.enumerate()
        ):
            time.sleep(0.05)
        with django_db_blocker.unblock():
            if own_database is None:
                call_command("flush", verbosity=0, interactive=False)
            else:
                teardown_databases(own_database, verbosity=0)


@pytest.fixture
def swept_portal(_swept_portal: "SweptPortal", django_db_blocker: Any) -> "Iterator[SweptPortal]":
    """The sweeps' portal, its database open to the live server during the test."""
    from django.test.utils import modify_settings

    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        yield _swept_portal


@pytest.fixture
def outbox() -> Any:
    """The e-mails the portal owes, read from the outbox table: each is written
    in the same transaction as the change that caused it (their delivery by
    the worker is tested in ``mail/tests``)."""
    from alphasierra.mail.models import OutboxMessage

    def messages_to(email: str) -> list[OutboxMessage]:
        return list(OutboxMessage.objects.filter(to_email__iexact=email).order_by("created_at", "pk"))

    return messages_to


@pytest.fixture
def client() -> Any:
    """pytest-django's client, but tests log staff in as after a full login
    with their second factor (see ``alphasierra.testing.PortalClient``)."""
    from alphasierra.testing import PortalClient

    return PortalClient()


@pytest.fixture
def page_cache(settings: Any) -> None:
    """The page cache on, as in production. A service's change shows on the
    pages once its on-commit callbacks ran: in a test, inside
    ``django_capture_on_commit_callbacks(execute=True)``."""
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords hashed, in order (the tests' hasher, MD5: checking a
    password hashes it too)."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    hashed: list[str] = []
    encode = MD5PasswordHasher.encode

    def counted(self: MD5PasswordHasher, password: str, salt: str) -> str:
        hashed.append(password)
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counted)
    return hashed


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate limits and the page cache live in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _in_french() -> None:
    """Each test starts in French, as a request without the language cookie:
    a request in English leaves English active in the thread after it, and a
    test that renders outside a request would read it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
