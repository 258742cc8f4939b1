"""Erasure leaves nothing of the person behind: after it, no column of any
table, no session and no file of the local outbox holds their e-mail, names,
phone numbers, address, nor their family's names. The same holds for a
rejected account once its retention period is over."""

from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from alphasierra.agents.models import Agent
from alphasierra.agents.services.approval import agent_reject, agents_remind_managers
from alphasierra.agents.services.erasure import agent_erase, agent_request_deletion
from alphasierra.agents.services.family import FamilyRow, agent_family_update
from alphasierra.agents.services.register import agent_update
from alphasierra.agents.services.signup import agent_confirm_email, agent_register
from alphasierra.associations.models import AssociationLink
from alphasierra.audit.models import AuditEvent
from alphasierra.demo import DEMO_PASSWORD, _details
from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_queue
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor
from alphasierra.testing import run_daily_jobs, traces_of, with_second_factor
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import transfer_refuse, transfer_request

pytestmark = pytest.mark.django_db

# Alice's data is made her own first: the demo personas share a phone number
# and an address, which then would be found in the other personas' rows.
ALICE_OWN = {
    "personal_phone": "+33698765432",
    "work_phone": "+33561998877",
    "address": "7 impasse des Hirondelles",
    "service_address": "Tour de contrôle Hirondelles",
}
ALICE = (
    "alice@example.fr",
    "Alice",
    "Martin",
    *ALICE_OWN.values(),
    "1982-04-12",
    # Her family: spouse, two children, and a third child added later.
    "Julien",
    "Léa",
    "Hugo",
    "Zoé",
    "1980-09-03",
    "2012-06-01",
    "2015-02-20",
    "2024-03-15",
)
PAUL_OWN = {"personal_phone": "+33622334455", "address": "3 chemin des Vignes", "service": "Centre Météo Blagnac"}
PAUL = ("paul@example.fr", "Paul", "Durand", *PAUL_OWN.values())

TASKS_IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"
TASKS_DATABASE = "django_tasks_db.DatabaseBackend"


@pytest.fixture
def local_outbox(settings, tmp_path):
    """Delivered messages are written under tmp_path, as on the local portal."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    return tmp_path


def site(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


@pytest.mark.parametrize("tasks_backend", [TASKS_IMMEDIATE, TASKS_DATABASE])
def test_erasure_leaves_no_trace_of_alice_nor_of_her_family(
    cast, settings, local_outbox, django_capture_on_commit_callbacks, tasks_backend
):
    # Immediate: each e-mail is delivered at commit and lands in the local
    # outbox. Database: each waits in django-tasks-db's table for a worker.
    settings.TASKS = {"default": {"BACKEND": tasks_backend, "QUEUES": ["default"]}}
    sud_ouest, nord, aramis = site("sud-ouest"), site("nord"), site("aramis")
    alice = cast.alice.agent
    alice_client, david_client, nadia_client, bruno_client = Client(), Client(), Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        # A manager corrects her data, and the family grows: both recorded, values included.
        # A third child is declared, then added.
        agent_update(agent_id=alice.pk, clas=sud_ouest, actor=cast.bruno, changes={**ALICE_OWN, "children_count": 3})
        agent_family_update(
            agent_id=alice.pk,
            clas=sud_ouest,
            actor=cast.alice,
            rows=[FamilyRow(kind="child", last_name="Martin", first_name="Zoé", birth_date=date(2024, 3, 15))],
        )
        # She logs in (sessions), visits ARAMIS (a link), whose manager opens her record.
        alice_client.post("/comptes/login/", {"login": "alice@example.fr", "password": DEMO_PASSWORD})
        with_second_factor(cast.alice)
        alice_client.get("/aramis/")
        link = AssociationLink.objects.get(agent=alice, association=aramis)
        nadia_client.force_login(cast.nadia)
        # The admin's log names her (an entry from the days the admin could still change links).
        LogEntry.objects.log_actions(
            user_id=cast.nadia.pk, queryset=[link], action_flag=DELETION, change_message="", single_object=True
        )
        assert LogEntry.objects.filter(object_repr__icontains="Martin").exists()
        alice_client.get("/aramis/")
        link = AssociationLink.objects.get(agent=alice, association=aramis)
        david_client.force_login(cast.david)
        assert david_client.get(f"/aramis/gestion/agents-connus/{alice.pk}/").status_code == 200
        # A transfer to Nord, with her words and the refusal's reason.
        transfer = transfer_request(
            agent_id=alice.pk,
            destination=nord,
            reason="move",
            effective_date=date(2026, 9, 1),
            message="Alice Martin, joignable au +33698765432",
            actor=cast.alice,
        )
        transfer_refuse(
            transfer_id=transfer.pk, destination=nord, actor=cast.chloe, reason="Alice Martin est inconnue à Lille."
        )
        # She asks for her account to be deleted; Bruno, site manager, is told by e-mail.
        agent_request_deletion(user=cast.alice)
    assert OutboxMessage.objects.filter(to_email="bruno@alpha-sierra.org", subject__icontains="Martin").exists()
    assert traces_of(*ALICE, mail_dir=local_outbox)  # the search finds her before

    bruno_client.force_login(cast.bruno)
    with django_capture_on_commit_callbacks(execute=True):
        response = bruno_client.post(f"/sud-ouest/gestion/suppressions/{alice.pk}/confirmer/")

    assert response.status_code == 302
    assert traces_of(*ALICE, mail_dir=local_outbox) == []
    # Her association link and her transfer went with her record.
    assert not AssociationLink.objects.filter(pk=link.pk).exists()
    assert not Transfer.objects.filter(pk=transfer.pk).exists()
    # The trail still says who did what, and when, without saying to whom.
    refused = AuditEvent.objects.get(action="transfer.refused", actor=cast.chloe)
    assert (refused.subject, refused.data) == (None, {})
    assert AuditEvent.objects.filter(
        action="agent.viewed", actor=cast.david, organisation=aramis, subject=None
    ).exists()
    assert AuditEvent.objects.filter(action="agent.erased", actor=cast.bruno, data={"agent": alice.pk}).exists()
    # Her session is over.
    assert alice_client.get("/comptes/mon-compte/").status_code == 302


def test_a_rejected_account_is_erased_once_its_retention_is_over(cast, settings, django_capture_on_commit_callbacks):
    settings.REJECTED_RETENTION_DAYS = 30
    settings.TASKS = {"default": {"BACKEND": TASKS_DATABASE, "QUEUES": ["default"]}}  # as in production
    sud_ouest = site("sud-ouest")
    paul = cast.paul.agent
    with django_capture_on_commit_callbacks(execute=True):
        agent_update(agent_id=paul.pk, clas=sud_ouest, actor=cast.bruno, changes={**PAUL_OWN})
        # A reminder to the site managers names him (and would name others waiting too).
        assert agents_remind_managers(now=timezone.now() + timedelta(days=8)) == 1
        agent_reject(
            agent_id=paul.pk, clas=sud_ouest, manager=cast.bruno, reason="Paul Durand n'est pas agent du CLAS."
        )
    decided_at = Agent.objects.get(pk=paul.pk).decided_at
    assert decided_at is not None

    # Kept while the person may still contest the decision…
    run_daily_jobs(now=decided_at + timedelta(days=29))
    assert Agent.objects.filter(pk=paul.pk, state=Agent.State.REJECTED).exists()

    # …then nothing of him is left.
    run_daily_jobs(now=decided_at + timedelta(days=31))
    assert traces_of(*PAUL) == []
    assert OutboxMessage.objects.filter(to_email="bruno@alpha-sierra.org").exists()  # Bruno's other messages stay
    rejected = AuditEvent.objects.get(action="agent.rejected", actor=cast.bruno)
    assert (rejected.subject, rejected.data) == (None, {})
    assert AuditEvent.objects.filter(action="agent.purged_rejected", organisation=sud_ouest).exists()


def test_erasure_finds_the_messages_sent_to_an_address_she_left(cast, django_capture_on_commit_callbacks):
    alice = cast.alice.agent
    assert OutboxMessage.objects.filter(to_email="alice@example.fr").exists()  # « inscription validée »
    # She changes her address (confirmed, made primary, the old one removed).
    new = EmailAddress.objects.add_email(None, cast.alice, "alice.martin@example.org")
    new.set_verified()
    new.set_as_primary()
    EmailAddress.objects.get(email="alice@example.fr").remove()
    agent_request_deletion(user=cast.alice)

    with django_capture_on_commit_callbacks(execute=True):
        agent_erase(agent_id=alice.pk, clas=alice.clas, manager=cast.bruno)

    assert traces_of("alice@example.fr", "alice.martin@example.org", "Martin") == []


def test_a_reminder_naming_several_agents_goes_with_the_one_erased(cast):
    sud_ouest = site("sud-ouest")
    waiting = agent_register(
        clas=sud_ouest,
        email="ines@example.fr",
        password=DEMO_PASSWORD,
        details=_details("Roussel", "Inès"),
        request=None,
    )
    assert waiting is not None
    agent_confirm_email(user=waiting.user)
    agents_remind_managers(now=timezone.now() + timedelta(days=8))
    reminder = OutboxMessage.objects.get(to_email="bruno@alpha-sierra.org", subject__icontains="2 inscriptions")
    assert "Durand" in reminder.body_text
    assert "Roussel" in reminder.body_text
    agent_request_deletion(user=waiting.user)

    agent_erase(agent_id=waiting.pk, clas=sud_ouest, manager=cast.bruno)

    assert traces_of("ines@example.fr", "Roussel", "Inès") == []


def test_an_account_never_confirmed_leaves_nothing_once_purged(cast, settings):
    settings.TASKS = {"default": {"BACKEND": TASKS_DATABASE, "QUEUES": ["default"]}}
    agent = agent_register(
        clas=site("nord"),
        email="ines@example.fr",
        password=DEMO_PASSWORD,
        details=_details("Roussel", "Inès"),
        request=None,
    )
    assert agent is not None
    assert traces_of("ines@example.fr")  # the confirmation e-mail, at least

    run_daily_jobs(now=agent.created_at + timedelta(days=31))

    assert traces_of("ines@example.fr", "Roussel", "Inès") == []


def test_the_search_sees_a_value_in_a_column_a_json_document_a_session_and_an_outbox_file(
    cast, local_outbox, django_capture_on_commit_callbacks
):
    # The proofs above are only as good as this search: it must see a value wherever it lies.
    agent_update(agent_id=cast.alice.agent.pk, clas=site("sud-ouest"), actor=cast.bruno, changes={**ALICE_OWN})
    session = SessionStore()
    session["signup_email"] = "zorro@example.org"
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        message_queue(to="zorro@example.org", template="test_message", context={})

    traces = traces_of("Durand", ALICE_OWN["address"], "zorro@example.org", mail_dir=local_outbox)

    assert {trace.split(" ")[0] for trace in traces} >= {
        "agents.Agent.last_name",
        "agents.Agent.search_text",
        "audit.AuditEvent.data",
        "sessions.Session.session_data",
        "mail.OutboxMessage.to_email",
    }
    assert any(trace.endswith(".log: (?<!\\w)zorro@example\\.org(?!\\w)") for trace in traces)
