"""The rows a build adds to the database, written again instead of building.

Most tests ask for the cast (``conftest.cast``), and building it through the
real services costs more than most of those tests: hundreds of queries, forms
validated, e-mails rendered. Each test runs in a transaction rolled back after
it, so every test starts from the same database and the build adds the same
rows each time. A test process therefore records the rows of its first build
and, for the next tests, writes them again in one insert per table, the times
moved on by the time elapsed since the recording, as if built at that moment.

A recording is replayed only where a build would add exactly those rows:
inside a test's transaction, the database holding exactly what it held before
the recorded build, on the same day, with the same settings (no override in
force, but of ``NOT_READ_BY_BUILDS``). It is not made when the build did anything a replay would not redo:
change or delete a row that was there before, write to the cache, send an
e-mail (what it leaves for the commit, its e-mails' delivery, never runs in a
transaction rolled back: a replay has nothing to redo there). Anywhere else
the build runs as usual.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import Settings, UserSettingsHolder, settings
from django.core import mail
from django.core.cache import cache
from django.db import connection, models
from django.utils import timezone

Rows = dict[type[models.Model], dict[Any, tuple[Any, ...]]]
# The times a build writes are the clock's, give or take a delay (a retry in
# five minutes): a time farther away is a date of its own, not to be moved.
NEAR = timedelta(days=1)


def _models() -> list[type[models.Model]]:
    return [
        model for model in apps.get_models(include_auto_created=True) if model._meta.managed and not model._meta.proxy
    ]


def _columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _rows() -> Rows:
    """Every row of every table, by primary key."""
    return {
        model: {row[0]: row for row in model._base_manager.order_by("pk").values_list("pk", *_columns(model))}
        for model in _models()
    }


def _fingerprint(rows: Rows) -> str:
    digest = hashlib.sha256()
    for model, table in rows.items():
        digest.update(f"{model._meta.label}:{list(table.values())!r}".encode())
    return digest.hexdigest()


def _cache_keys() -> set[Any] | None:
    """What the local-memory cache holds; None for another cache (not known)."""
    held = getattr(cache, "_cache", None)
    return set(held) if isinstance(held, dict) else None


# Settings a build never reads, which a test may override before it asks for
# the build and still be given the replay: where uploaded files go (the builds
# store none) and the page cache (they render no page).
NOT_READ_BY_BUILDS = frozenset({"MEDIA_ROOT", "PAGE_CACHE_SECONDS"})


def _settings_untouched() -> bool:
    """No ``override_settings`` (nor the ``settings`` fixture) in force, but
    of the settings no build reads."""
    layer = getattr(settings, "_wrapped", None)
    while isinstance(layer, UserSettingsHolder):
        overridden = set(vars(layer)) - {"default_settings", "_deleted"}
        if overridden - NOT_READ_BY_BUILDS or layer._deleted:
            return False
        layer = layer.default_settings
    return isinstance(layer, Settings)


@dataclass(frozen=True)
class _Recording:
    fingerprint: str  # of the whole database before the build
    day: date
    at: datetime  # when the recorded build ended
    added: list[tuple[type[models.Model], list[str], list[tuple[Any, ...]]]]


class Replay[T]:
    """Builds with ``build`` once, then writes its rows again where that is
    the same (see the module's docstring); ``result`` reads back what the
    build would have returned, from the database."""

    def __init__(self, build: Callable[[], object], result: Callable[[], T]) -> None:
        self.build = build
        self.result = result
        self.recording: _Recording | None = None
        self.recordable = True  # False once a build proved not replayable

    def __call__(self) -> T:
        if not (connection.in_atomic_block and _settings_untouched()):
            self.build()
            return self.result()
        before = _rows()
        fingerprint = _fingerprint(before)
        recording = self.recording
        if recording and recording.fingerprint == fingerprint and recording.day == timezone.localdate():
            self._write(recording)
        else:
            self._record(before, fingerprint)
        return self.result()

    def _record(self, before: Rows, fingerprint: str) -> None:
        day, keys, sent = timezone.localdate(), _cache_keys(), len(mail.outbox)
        self.build()
        # Replayed, the build's times are moved on as if it had just ended.
        at = timezone.now()
        if not self.recordable:
            return
        after = _rows()
        added = []
        for model, rows in after.items():
            if any(after[model].get(pk) != row for pk, row in before[model].items()):
                self.recordable = False  # a row changed or deleted: a replay would not do it
            new = [row[1:] for pk, row in rows.items() if pk not in before[model]]
            if new and model._meta.parents:
                self.recordable = False  # one insert cannot write a child of another model's table
            if any(isinstance(v, datetime) and abs(v - at) > NEAR for row in new for v in row):
                self.recordable = False  # a time not taken from the clock would be moved too
            if new:
                added.append((model, _columns(model), new))
        if keys is None or _cache_keys() != keys or len(mail.outbox) != sent:
            self.recordable = False
        self.recording = _Recording(fingerprint, day, at, added) if self.recordable else None

    @staticmethod
    def _write(recording: _Recording) -> None:
        elapsed = timezone.now() - recording.at

        def moved(value: object) -> object:
            return value + elapsed if isinstance(value, datetime) else value

        for model, columns, rows in recording.added:
            objects = [model(**dict(zip(columns, map(moved, row), strict=True))) for row in rows]
            fields = model._meta.concrete_fields
            # Raw, as loaddata writes: the values as recorded, no "auto_now" set anew.
            size = max(connection.ops.bulk_batch_size(fields, objects), 1)
            for start in range(0, len(objects), size):
                model._base_manager.get_queryset()._insert(objects[start : start + size], fields=fields, raw=True)  # type: ignore[attr-defined]
