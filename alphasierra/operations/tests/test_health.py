import json
import logging
import platform
import signal
import threading
from datetime import timedelta

import django
import pytest
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_queue

pytestmark = pytest.mark.django_db

READY = "/health/ready/"
LIVE = "/health/live/"
EVERY_CHECK = ("database", "cache", "migrations", "outbox", "tasks")
CHECKS_OK = dict.fromkeys(EVERY_CHECK, "ok")
ALL_OK = {"status": "ok", "checks": CHECKS_OK}


@pytest.fixture(autouse=True)
def _queue_delay(settings):
    settings.HEALTH_QUEUE_DELAY = 15


def probe(path: str = READY) -> tuple[int, dict]:
    response = Client().get(path)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def e_mail_queued(minutes_ago: float, to: str = "someone@example.fr") -> OutboxMessage:
    message = message_queue(to=to, template="test_message", context={})
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return message


def task_enqueued(minutes_ago: float, *, run_after_minutes_ago: float | None = None, status: str = "READY") -> None:
    now = timezone.now()
    run_after = get_date_max() if run_after_minutes_ago is None else now - timedelta(minutes=run_after_minutes_ago)
    task = DBTaskResult.objects.create(
        task_path="alphasierra.mail.tasks.deliver_message",
        args_kwargs={"args": [0], "kwargs": {}},
        backend_name="default",
        run_after=run_after,
        status=status,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=now - timedelta(minutes=minutes_ago))


def test_liveness_answers_ok_without_the_database():
    def unreachable(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(unreachable), CaptureQueriesContext(connection) as queries:
        status, body = probe(LIVE)

    assert (status, body) == (200, {"status": "ok"})
    assert len(queries) == 0


def test_readiness_is_ok_when_every_check_is():
    assert probe() == (200, ALL_OK)


def test_the_database_out_of_reach_fails_readiness_and_what_reads_it(caplog):
    def unreachable(execute, sql, params, many, context):
        raise OperationalError("could not connect to server at db.internal (10.1.2.3), port 5432")

    with connection.execute_wrapper(unreachable):
        status, body = probe()
        live_status, _ = probe(LIVE)

    assert status == 503
    assert body == {
        "status": "failing",
        "checks": {
            "database": "failing",
            "cache": "ok",
            "migrations": "failing",
            "outbox": "failing",
            "tasks": "failing",
        },
    }
    assert live_status == 200
    # Told to the server's log, not to whoever asked.
    assert "db.internal" in caplog.text
    assert ("alphasierra.operations", logging.ERROR) in {(r.name, r.levelno) for r in caplog.records}


def test_a_stopped_redis_fails_readiness_and_liveness_holds(redis_server, settings, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_server.url}
    }
    assert probe() == (200, ALL_OK)

    redis_server.stop()
    status, body = probe()
    live = probe(LIVE)

    assert status == 503
    assert body == {"status": "failing", "checks": {**CHECKS_OK, "cache": "failing"}}
    assert live == (200, {"status": "ok"})
    port = redis_server.url.rsplit(":", 1)[1].split("/")[0]
    assert port in caplog.text  # the log says where
    assert port not in json.dumps(body)


def test_a_redis_that_stops_answering_fails_readiness_instead_of_holding_it(redis_server, settings):
    """Redis paused (SIGSTOP): the connection is accepted, no answer ever comes.
    The Redis client gives up after its socket timeouts (redis-py's default:
    5 seconds), which the settings leave as they are."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_server.url}
    }
    assert probe() == (200, ALL_OK)
    answers: list[tuple[int, dict[str, object]]] = []

    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        # In a thread: without the client's timeouts the probe would never return.
        probing = threading.Thread(target=lambda: answers.append(probe()))
        probing.start()
        probing.join(timeout=30)
    finally:
        redis_server.process.send_signal(signal.SIGCONT)

    assert not probing.is_alive()
    assert answers == [(503, {"status": "failing", "checks": {**CHECKS_OK, "cache": "failing"}})]


def test_a_cache_that_keeps_nothing_fails_readiness(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    status, body = probe()

    assert (status, body["checks"]["cache"]) == (503, "failing")


def _leaf_migration() -> tuple[str, str]:
    return sorted(MigrationLoader(connection).graph.leaf_nodes())[0]


def test_a_migration_not_applied_fails_readiness(migrations_unchecked, caplog):
    app, name = _leaf_migration()
    MigrationRecorder(connection).migration_qs.filter(app=app, name=name).delete()

    status, body = probe()

    assert status == 503
    assert body == {"status": "failing", "checks": {**CHECKS_OK, "migrations": "failing"}}
    assert f"{app}.{name}" in caplog.text


def test_once_every_migration_is_applied_the_process_does_not_look_again(migrations_unchecked):
    assert probe() == (200, ALL_OK)
    app, name = _leaf_migration()
    MigrationRecorder(connection).migration_qs.filter(app=app, name=name).delete()

    with CaptureQueriesContext(connection) as queries:
        assert probe() == (200, ALL_OK)

    assert not [q for q in queries if "django_migrations" in q["sql"]]


@pytest.mark.parametrize(("minutes_ago", "outbox"), [(14, "ok"), (16, "degraded")])
def test_an_e_mail_waiting_longer_than_the_delay_degrades_readiness(minutes_ago, outbox):
    e_mail_queued(minutes_ago)
    e_mail_queued(1)

    status, body = probe()

    # Degraded is still served: a mail relay down must not empty the load balancer.
    assert status == 200
    assert body == {"status": outbox, "checks": {**CHECKS_OK, "outbox": outbox}}


def test_e_mails_sent_or_given_up_long_ago_wait_for_nothing():
    sent, failed = e_mail_queued(600), e_mail_queued(600)
    OutboxMessage.objects.filter(pk=sent.pk).update(status="sent", sent_at=timezone.now())
    OutboxMessage.objects.filter(pk=failed.pk).update(status="failed")

    assert probe() == (200, ALL_OK)


def test_the_delay_comes_from_the_settings(settings):
    settings.HEALTH_QUEUE_DELAY = 60
    e_mail_queued(30)

    assert probe() == (200, ALL_OK)


@pytest.mark.parametrize(
    ("task", "tasks"),
    [
        ({"minutes_ago": 14}, "ok"),
        ({"minutes_ago": 16}, "degraded"),
        # Asked to run 20 minutes after it was queued: ready 1 minute ago.
        ({"minutes_ago": 21, "run_after_minutes_ago": 1}, "ok"),
        ({"minutes_ago": 40, "run_after_minutes_ago": 20}, "degraded"),
        # Not due yet, or done.
        ({"minutes_ago": 40, "run_after_minutes_ago": -30}, "ok"),
        ({"minutes_ago": 40, "status": "SUCCESSFUL"}, "ok"),
        ({"minutes_ago": 40, "status": "FAILED"}, "ok"),
    ],
)
def test_a_task_ready_longer_than_the_delay_degrades_readiness(task, tasks):
    task_enqueued(**task)
    task_enqueued(1)

    status, body = probe()

    assert status == 200
    assert body == {"status": tasks, "checks": {**CHECKS_OK, "tasks": tasks}}


def test_the_answers_and_the_log_carry_no_personal_data_nor_version(cast, caplog):
    alice = cast.alice.agent
    e_mail_queued(120, to=cast.alice.email)
    caplog.set_level(logging.DEBUG, logger="alphasierra.operations")

    responses = [Client().get(path) for path in (READY, LIVE)]

    assert json.loads(responses[0].content)["checks"]["outbox"] == "degraded"
    assert "e-mail of the outbox has waited 120 minutes" in caplog.text
    told = caplog.text + "".join(r.content.decode() + str(r.headers) for r in responses)
    for datum in (cast.alice.email, alice.last_name, alice.first_name, alice.personal_phone, alice.city):
        assert datum not in told
    for version in (django.get_version(), platform.python_version()):
        assert version not in told
