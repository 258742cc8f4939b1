"""What the portal writes to its log (``operations.logs``): JSON lines, and
nothing of the people it serves."""

import json
import logging
import re
import smtplib
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from alphasierra.agents.models import Agent
from alphasierra.agents.tests.test_views import signup_data
from alphasierra.mail.services import outbox_retry_due
from alphasierra.operations.logs import JsonFormatter, current_request_id
from alphasierra.operations.tests.capture import REQUEST_LINE_FIELDS, logs_captured
from alphasierra.testing import PortalClient

pytestmark = pytest.mark.django_db

# Maïwenn signs up on Sud-Ouest with her husband and their daughter.
PASSWORD = "une phrase de passe assez longue"
MAIWENN = signup_data(
    email="maiwenn.kerbrat@example.fr",
    password1=PASSWORD,
    password2=PASSWORD,
    civility="mme",
    last_name="Kerbrat-Ollivier",
    first_name="Maïwenn",
    birth_date="1987-03-09",
    work_phone="05 62 74 51 83",
    personal_phone="06 47 29 13 58",
    address="27 rue des Tanneurs",
    postal_code="31770",
    city="Colomiers",
    family_situation="married",
    spouse_last_name="Kerbrat-Ollivier",
    spouse_first_name="Erwan",
    spouse_birth_date="1985-11-02",
    children_count="1",
    **{
        "enfants-TOTAL_FORMS": "1",
        "enfants-0-last_name": "Kerbrat-Ollivier",
        "enfants-0-first_name": "Nolwenn",
        "enfants-0-birth_date": "2016-06-21",
    },
)
# Each of her data, in the forms it is typed, stored or shown, and the e-mail's
# local part on its own.
PERSONAL = [
    "maiwenn.kerbrat@example.fr",
    "maiwenn.kerbrat",
    "Kerbrat",
    "Ollivier",
    "Maïwenn",
    "Maiwenn",
    "Erwan",
    "Nolwenn",
    "1987-03-09",
    "09/03/1987",
    "9 mars 1987",
    "1985-11-02",
    "2016-06-21",
    "05 62 74 51 83",
    "562745183",
    "06 47 29 13 58",
    "647291358",
    "27 rue des Tanneurs",
    "Tanneurs",
    "31770",
    "Colomiers",
    PASSWORD,
]
# The ids of requests and tasks: random hexadecimal, where a short number
# (a postal code) could turn up by chance.
RANDOM_IDS = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{32}\b")


class RefusesTheFirstMessage(LocmemBackend):
    """A mail server that refuses the first message (greylisting, quoting the
    recipient as servers do), then accepts every one into ``mail.outbox``."""

    refused: ClassVar[list[str]] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not RefusesTheFirstMessage.refused:
            to = email_messages[0].to[0]
            RefusesTheFirstMessage.refused.append(to)
            raise smtplib.SMTPRecipientsRefused({to: (450, f"4.2.0 <{to}>: Recipient greylisted".encode())})
        return super().send_messages(email_messages)


def work() -> int:
    """Run every task of the queue as ``manage.py db_worker`` does; how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="essai",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return ran
            result.claim("essai")
        worker.run_task(result)
        ran += 1


def variants(value: str) -> set[str]:
    """The value as it could be written: as it is, without its accents, and
    with its accents escaped (as Django escapes the arguments of its lines)."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    escaped = value.encode("unicode_escape").decode("ascii")
    return {form.lower() for form in (value, folded, escaped, json.dumps(value)[1:-1])}


def found(needles: list[str], text: str) -> list[str]:
    haystack = RANDOM_IDS.sub("", text).lower()
    return [needle for needle in needles if any(form in haystack for form in variants(needle))]


def test_signing_up_confirming_and_being_approved_writes_nothing_of_the_agent_to_the_log(
    settings, cast, django_capture_on_commit_callbacks
):
    # As in production: e-mails wait in the queue for a worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusesTheFirstMessage"}}
    RefusesTheFirstMessage.refused.clear()
    agent, bruno = Client(), PortalClient()
    bruno.force_login(cast.bruno)  # with his second factor, as staff must
    routes: list[str | None] = []

    @contextmanager
    def step(route: str | None) -> Iterator[None]:
        routes.append(route)
        with django_capture_on_commit_callbacks(execute=True):
            yield

    with logs_captured(logging.DEBUG) as log:
        with step("<slug:site>/inscription/"):
            assert agent.post("/sud-ouest/inscription/", MAIWENN).status_code == 302
        with step("<slug:site>/inscription/envoyee/"):
            agent.get("/sud-ouest/inscription/envoyee/")
        # The mail server refuses the confirmation once; the frequent job
        # hands it to a worker again a few minutes later.
        assert work() == 1
        assert RefusesTheFirstMessage.refused == [MAIWENN["email"]]
        with django_capture_on_commit_callbacks(execute=True):
            outbox_retry_due(now=timezone.now() + timedelta(minutes=5))
        work()
        [confirmation] = [message for message in mail.outbox if message.to == [MAIWENN["email"]]]
        link = re.search(r"https?://[^/\s]+(/comptes/confirm-email/([^/\s]+)/)", str(confirmation.body))
        assert link is not None
        key = link.group(2)
        confirm_route = "comptes/confirm-email/(?P<key>[-:\\w]+)/$"
        with step(confirm_route):
            agent.get(link.group(1))
        with step(confirm_route):
            assert agent.post(link.group(1)).status_code == 302
        work()
        pk = Agent.objects.get(user__email=MAIWENN["email"]).pk
        with step("<slug:site>/gestion/inscriptions/"):
            assert bruno.get("/sud-ouest/gestion/inscriptions/").status_code == 200
        with step("<slug:site>/gestion/inscriptions/<int:pk>/"):
            assert bruno.get(f"/sud-ouest/gestion/inscriptions/{pk}/").status_code == 200
        with step("<slug:site>/gestion/inscriptions/<int:pk>/valider/"):
            assert bruno.post(f"/sud-ouest/gestion/inscriptions/{pk}/valider/").status_code == 302
        work()
        with step("comptes/login/"):
            agent.post("/comptes/login/", {"login": MAIWENN["email"], "password": PASSWORD})
        with step("comptes/mon-compte/"):
            assert agent.get("/comptes/mon-compte/").status_code == 200

    # The path was walked to its end: she is approved, and told so.
    assert Agent.objects.get(pk=pk).state == Agent.State.APPROVED
    assert "validée" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == [MAIWENN["email"]]
    entries = log.entries()  # every line is one JSON object
    assert any(entry["level"] == "DEBUG" for entry in entries)  # captured from DEBUG up
    assert any(entry["logger"] == "alphasierra.mail.services" for entry in entries)  # the refusal
    assert any(entry["logger"] == "alphasierra.security" for entry in entries)  # her login
    requests = log.requests()
    assert [line["route"] for line in requests] == routes
    for line in requests:
        assert set(line) == REQUEST_LINE_FIELDS
    assert [line["user_id"] for line in requests if line["route"].startswith("<slug:site>/gestion/")] == [
        cast.bruno.pk
    ] * 3
    assert requests[-1]["user_id"] == Agent.objects.get(pk=pk).user_id
    # None of her data, neither in the lines written nor in what the code
    # handed to the log before any mask; nor the key of her confirmation link.
    output = log.output.getvalue()
    assert found(PERSONAL, output) == []
    assert found(PERSONAL, "\n".join(log.written)) == []
    assert key not in output


def test_the_search_finds_her_data_in_any_form_it_could_take():
    # The test above is only as good as its search.
    assert found(PERSONAL, '{"message": "envoyé à maiwenn.kerbrat@example.org"}') == [
        "maiwenn.kerbrat",
        "Kerbrat",
        "Maïwenn",
        "Maiwenn",
    ]
    assert found(["Maïwenn"], "Ma\\xefwenn") == ["Maïwenn"]
    assert found(["Maïwenn"], "MAIWENN") == ["Maïwenn"]
    assert found(["31770"], "5f2b1c9e0a7d4e3f8b6a1c2d31770f5a") == []
    assert found(["31770"], "code=31770") == ["31770"]


def record(message: str, *args: Any, **extra: Any) -> logging.LogRecord:
    return logging.makeLogRecord(
        {
            "name": "alphasierra.essai",
            "levelno": logging.WARNING,
            "levelname": "WARNING",
            "msg": message,
            "args": args,
            **extra,
        }
    )


def test_a_record_is_one_json_line_with_its_time_level_logger_message_and_extra_fields():
    entry = json.loads(JsonFormatter().format(record("Message %s envoyé", 12, compte=7, taux=0.5, actif=True)))

    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry.pop("time"))
    assert entry == {
        "level": "WARNING",
        "logger": "alphasierra.essai",
        "message": "Message 12 envoyé",
        "compte": 7,
        "taux": 0.5,
        "actif": True,
    }


def test_an_extra_field_that_is_not_a_plain_value_is_left_out(rf):
    request = rf.get("/sud-ouest/gestion/agents/?q=Kerbrat")

    line = JsonFormatter().format(record("Refusé", request=request, agent=object(), compte=3))

    assert json.loads(line)["compte"] == 3
    assert "Kerbrat" not in line
    assert "object at" not in line


def test_a_line_break_in_a_message_cannot_forge_a_line():
    line = JsonFormatter().format(record("nom=%s", 'x\n{"level": "INFO", "message": "faux"}'))

    assert "\n" not in line
    assert json.loads(line)["message"] == 'nom=x\n{"level": "INFO", "message": "faux"}'


def test_an_exception_is_written_under_exc_with_its_traceback():
    try:
        raise ValueError("le calcul a échoué")
    except ValueError:
        exc_info = sys.exc_info()

    entry = json.loads(JsonFormatter().format(record("Échec", exc_info=exc_info)))

    assert entry["message"] == "Échec"
    assert entry["exc"].startswith("Traceback (most recent call last):")
    assert 'raise ValueError("le calcul a échoué")' in entry["exc"]
    assert entry["exc"].endswith("ValueError: le calcul a échoué")


def test_an_address_or_a_database_row_quoted_by_an_exception_is_masked():
    try:
        raise RuntimeError(
            'duplicate key value violates unique constraint "accounts_user_email_key"\n'
            "DETAIL:  Key (email)=(maiwenn.kerbrat@example.fr) already exists.\n"
            "DETAIL:  Failing row contains (12, Kerbrat-Ollivier, Maïwenn)."
        )
    except RuntimeError:
        exc_info = sys.exc_info()

    line = JsonFormatter().format(record("Refusé par %s", "maiwenn.kerbrat@example.fr", exc_info=exc_info, à="a@b.fr"))

    entry = json.loads(line)
    assert entry["message"] == "Refusé par [e-mail]"
    assert entry["à"] == "[e-mail]"
    assert entry["exc"].endswith('"accounts_user_email_key"\nDETAIL: [masked]\nDETAIL: [masked]')
    assert found(PERSONAL, line) == []


def test_a_line_written_during_a_request_carries_its_id():
    token = current_request_id.set("requete-1")
    try:
        during = json.loads(JsonFormatter().format(record("pendant")))
    finally:
        current_request_id.reset(token)
    after = json.loads(JsonFormatter().format(record("après")))

    assert during["request_id"] == "requete-1"
    assert "request_id" not in after
