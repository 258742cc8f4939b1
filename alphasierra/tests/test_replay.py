"""The cast is built once per test process, then replayed: the same rows as a
build, at the time of the replay, and only where a build would write them."""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation
from alphasierra.tests.cast import Cast, cast_read, cast_write
from alphasierra.tests.replay import Replay, _rows

pytestmark = pytest.mark.django_db


class Counted:
    """The cast's build, counting the times it really runs."""

    def __init__(self) -> None:
        self.builds = 0

    def __call__(self) -> None:
        self.builds += 1
        cast_write()


def rolled_back(replay: Replay[Any]) -> tuple[Any, dict[str, list[tuple[Any, ...]]]]:
    """What the replay returns, and the rows it adds, as a test would see them."""
    before = _rows()
    with transaction.atomic():
        result = replay()
        added = {
            model._meta.label: [row for pk, row in table.items() if pk not in before[model]]
            for model, table in _rows().items()
        }
        transaction.set_rollback(True)
    return result, added


def without_times(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        label: [tuple(v for v in row if not isinstance(v, datetime)) for row in table] for label, table in rows.items()
    }


def times(rows: dict[str, list[tuple[Any, ...]]]) -> list[datetime]:
    return [v for table in rows.values() for row in table for v in row if isinstance(v, datetime)]


def test_a_replay_writes_the_rows_of_the_build_and_gives_the_same_cast():
    build = Counted()
    replay = Replay(build, cast_read)

    built_cast, built = rolled_back(replay)
    replayed_cast, replayed = rolled_back(replay)

    assert build.builds == 1
    assert replay.recording is not None
    assert without_times(replayed) == without_times(built)
    assert isinstance(replayed_cast, Cast)
    assert {name: user.pk for name, user in vars(replayed_cast).items()} == {
        name: user.pk for name, user in vars(built_cast).items()
    }


def test_the_times_of_a_replay_are_those_of_a_build_made_then():
    replay = Replay(cast_write, cast_read)
    _, built = rolled_back(replay)
    assert replay.recording is not None
    # As if recorded an hour ago: every time moves on by an hour.
    replay.recording = replace(replay.recording, at=replay.recording.at - timedelta(hours=1))

    _, replayed = rolled_back(replay)

    moved = [after - before for before, after in zip(times(built), times(replayed), strict=True)]
    assert moved
    assert [d for d in moved if not timedelta(minutes=59) < d < timedelta(minutes=61)] == []


def test_a_database_that_changed_since_the_recording_gets_a_build():
    build = Counted()
    replay = Replay(build, cast_read)
    rolled_back(replay)
    Organisation.objects.filter(slug="enac").update(name="École nationale de l'aviation civile (ENAC)")

    rolled_back(replay)

    assert build.builds == 2


def test_settings_overridden_get_a_build():
    build = Counted()
    replay = Replay(build, cast_read)
    rolled_back(replay)

    with override_settings(PORTAL_URL="https://ailleurs.example"):
        rolled_back(replay)

    assert build.builds == 2


def test_settings_no_build_reads_may_be_overridden_and_still_get_the_replay(tmp_path):
    build = Counted()
    replay = Replay(build, cast_read)
    rolled_back(replay)

    with override_settings(MEDIA_ROOT=tmp_path), override_settings(PAGE_CACHE_SECONDS=60):
        _, replayed = rolled_back(replay)
    with override_settings(MEDIA_ROOT=tmp_path, PORTAL_URL="https://ailleurs.example"):
        rolled_back(replay)

    assert build.builds == 2
    assert replayed["accounts.User"]


def test_the_next_day_gets_a_build(monkeypatch):
    build = Counted()
    replay = Replay(build, cast_read)
    rolled_back(replay)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr("alphasierra.tests.replay.timezone.localdate", lambda: tomorrow)

    rolled_back(replay)

    assert build.builds == 2


@pytest.mark.parametrize(
    "side_effect",
    [
        lambda: Organisation.objects.filter(slug="enac").update(name="ENAC"),
        lambda: Organisation.objects.filter(slug="enac").delete(),
        lambda: cache.set("compteur", 1),
        lambda: AuditEvent.objects.create(action="test", created_at=timezone.now() - timedelta(days=400)),
    ],
    ids=["a row changed", "a row deleted", "the cache written", "a time of its own"],
)
def test_a_build_a_replay_would_not_redo_is_never_recorded(side_effect):
    def build() -> None:
        cast_write()
        side_effect()

    replay = Replay(build, cast_read)

    rolled_back(replay)

    assert replay.recording is None
    assert replay.recordable is False
