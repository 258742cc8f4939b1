import platform
from datetime import datetime, timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.parser import text_string_to_metric_families

from alphasierra.agents.models import Agent
from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_queue
from alphasierra.organisations.models import Organisation
from alphasierra.testing import make_agents

pytestmark = pytest.mark.django_db

TOKEN = "jeton-de-prometheus-" + "x" * 24
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape() -> Samples:
    response = Client().get("/metrics/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def e_mail(*, minutes_ago: float = 0, status: str = "pending", failed_attempt: bool = False) -> None:
    message = message_queue(to="someone@example.fr", template="test_message", context={})
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        status=status,
        sent_at=timezone.now() if status == "sent" else None,
        attempts=1 if failed_attempt or status == "failed" else 0,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed" if failed_attempt else "",
    )


def task(*, minutes_ago: float = 0, run_after: datetime | None = None, status: str = "READY") -> None:
    created = DBTaskResult.objects.create(
        task_path="alphasierra.mail.tasks.deliver_message",
        args_kwargs={"args": [0], "kwargs": {}},
        backend_name="default",
        run_after=run_after or get_date_max(),
        status=status,
    )
    DBTaskResult.objects.filter(pk=created.pk).update(enqueued_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_registrations_waiting_are_given_for_every_clas(cast):
    nord = Organisation.objects.get(slug="nord")
    make_agents(3, nord, Agent.State.AWAITING_APPROVAL, start=0)
    make_agents(2, nord, Agent.State.EMAIL_PENDING, start=10)
    make_agents(2, nord, Agent.State.APPROVED, start=20)

    samples = scrape()

    waiting = {
        dict(labels)["clas"]: v for (name, labels), v in samples.items() if name == "alphasierra_registrations_waiting"
    }
    clas = set(Organisation.objects.filter(kind="clas").values_list("slug", flat=True))
    assert set(waiting) == clas
    assert len(clas) == 13
    # Paul, in Sud-Ouest; the three of Nord; nobody anywhere else.
    assert waiting == {**dict.fromkeys(clas, 0), "sud-ouest": 1, "nord": 3}


def test_the_outbox_by_status_and_its_failures():
    OutboxMessage.objects.all().delete()
    e_mail(minutes_ago=30, failed_attempt=True)
    e_mail(minutes_ago=2)
    e_mail(minutes_ago=600, status="sent")
    e_mail(minutes_ago=900, status="failed")

    samples = scrape()

    assert value(samples, "alphasierra_outbox_messages", status="pending") == 2
    assert value(samples, "alphasierra_outbox_messages", status="sent") == 1
    assert value(samples, "alphasierra_outbox_messages", status="failed") == 1
    assert value(samples, "alphasierra_outbox_retrying_messages") == 1
    assert 30 * 60 <= value(samples, "alphasierra_outbox_oldest_pending_age_seconds") < 31 * 60


def test_an_empty_outbox_and_queue_wait_for_nothing():
    OutboxMessage.objects.all().delete()

    samples = scrape()

    assert value(samples, "alphasierra_outbox_messages", status="pending") == 0
    assert value(samples, "alphasierra_outbox_oldest_pending_age_seconds") == 0
    assert value(samples, "alphasierra_tasks_ready") == 0
    assert ("alphasierra_tasks_oldest_ready_age_seconds", ()) in samples


def test_the_task_queue_lag():
    task(minutes_ago=10)
    task(minutes_ago=1)
    task(minutes_ago=60, run_after=timezone.now() + timedelta(hours=1))  # not due yet
    task(minutes_ago=60, status="SUCCESSFUL")
    task(minutes_ago=60, status="RUNNING")

    samples = scrape()

    assert value(samples, "alphasierra_tasks_ready") == 2
    assert 10 * 60 <= value(samples, "alphasierra_tasks_oldest_ready_age_seconds") < 11 * 60


def test_a_request_is_counted_and_timed_under_its_view_name():
    before = scrape()

    assert Client().get("/annuaire/").status_code == 200
    after = scrape()

    for name, labels in [
        ("alphasierra_responses_total", {"view": "directory", "status": "200"}),
        ("alphasierra_request_duration_seconds_count", {"view": "directory", "method": "GET"}),
    ]:
        assert value(after, name, **labels) == value(before, name, **labels) + 1
    assert value(after, "alphasierra_request_duration_seconds_sum", view="directory", method="GET") > value(
        before, "alphasierra_request_duration_seconds_sum", view="directory", method="GET"
    )


def test_a_page_served_by_the_page_cache_is_counted_under_its_view(page_cache):
    client = Client()
    before = scrape()

    client.get("/sud-ouest/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sud-ouest/").status_code == 200
    after = scrape()

    assert len(queries) == 0  # served from the cache indeed
    assert value(after, "alphasierra_responses_total", view="pages:home", status="200") == (
        value(before, "alphasierra_responses_total", view="pages:home", status="200") + 2
    )


def test_what_no_route_answers_and_made_up_methods_are_counted_in_a_few_series():
    before = scrape()

    Client().get("/il/n/existe/pas/")
    Client().generic("BREW", "/annuaire/")
    after = scrape()

    assert value(after, "alphasierra_responses_total", view="unresolved", status="404") == (
        value(before, "alphasierra_responses_total", view="unresolved", status="404") + 1
    )
    assert value(after, "alphasierra_request_duration_seconds_count", view="directory", method="other") == (
        value(before, "alphasierra_request_duration_seconds_count", view="directory", method="other") + 1
    )
    assert not [labels for _, labels in after if ("method", "BREW") in labels]


@pytest.mark.urls("alphasierra.operations.tests.raising_urls")
def test_an_unhandled_exception_is_counted_under_its_view():
    before = scrape()

    response = Client(raise_request_exception=False).get("/api/en-panne/")
    Client().get("/api/introuvable/")  # an Http404 is no exception to count
    after = scrape()

    assert response.status_code == 500
    assert value(after, "alphasierra_exceptions_total", view="broken") == (
        value(before, "alphasierra_exceptions_total", view="broken") + 1
    )
    assert value(after, "alphasierra_responses_total", view="broken", status="500") == (
        value(before, "alphasierra_responses_total", view="broken", status="500") + 1
    )
    assert value(after, "alphasierra_responses_total", view="missing", status="404") == (
        value(before, "alphasierra_responses_total", view="missing", status="404") + 1
    )
    assert value(after, "alphasierra_exceptions_total", view="missing") == 0


def test_the_probes_and_scrapes_are_not_counted():
    Client().get("/health/live/")
    Client().get("/health/ready/")

    samples = scrape()

    assert not [labels for _, labels in samples if any(v.startswith("operations:") for _, v in labels)]


@pytest.mark.parametrize("rows", [1, 30])
def test_the_database_figures_cost_four_queries_whatever_the_rows(cast, django_assert_num_queries, rows):
    make_agents(rows, Organisation.objects.get(slug="nord"), Agent.State.AWAITING_APPROVAL, start=0)
    for n in range(rows):
        e_mail(minutes_ago=n, failed_attempt=n % 2 == 0)
        task(minutes_ago=n)

    with django_assert_num_queries(4):
        samples = scrape()

    assert value(samples, "alphasierra_registrations_waiting", clas="nord") == rows
    assert value(samples, "alphasierra_tasks_ready") == rows


def test_the_database_out_of_reach_leaves_the_requests_figures():
    Client().get("/annuaire/")

    def unreachable(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(unreachable):
        samples = scrape()

    assert value(samples, "alphasierra_database_up") == 0
    assert value(samples, "alphasierra_responses_total", view="directory", status="200") >= 1
    assert not [name for name, _ in samples if name.startswith("alphasierra_outbox")]


def test_the_metrics_carry_no_personal_data_nor_version(cast):
    alice = cast.alice.agent
    message_queue(to=cast.alice.email, template="test_message", context={})
    Client().get("/sud-ouest/")

    text = Client().get("/metrics/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()

    assert value(scrape(), "alphasierra_database_up") == 1
    for datum in (cast.alice.email, alice.last_name, alice.first_name, alice.personal_phone):
        assert datum not in text
    assert platform.python_version() not in text
    assert "python_info" not in text
