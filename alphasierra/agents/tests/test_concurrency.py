"""Two site managers deciding on the same request at the same moment."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from alphasierra.agents.models import Agent
from alphasierra.agents.services.approval import agent_approve, agent_reject
from alphasierra.demo import _staff
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation, Role
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import transfer_accept, transfer_cancel, transfer_request

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Row locks (SELECT … FOR UPDATE) are what serialises the two decisions;
    # SQLite has none and serialises whole writes instead, so the race is
    # exercised on PostgreSQL, where the portal runs in production.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row-level locks (PostgreSQL)"),
]


def test_one_decision_wins_and_the_other_manager_is_told(cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    second = _staff("odile@alpha-sierra.org", sud_ouest, Role.Kind.SITE_MANAGER)
    paul = cast.paul.agent

    outcomes = race(
        lambda: agent_approve(agent_id=paul.pk, clas=sud_ouest, manager=cast.bruno),
        lambda: agent_reject(agent_id=paul.pk, clas=sud_ouest, manager=second, reason="Inconnu"),
    )

    assert outcomes == ["AgentStateError", "done"]
    paul.refresh_from_db()
    assert paul.state in {Agent.State.APPROVED, Agent.State.REJECTED}
    decisions = OutboxMessage.objects.filter(to_email="paul@example.fr", subject__contains="inscription")
    assert decisions.exclude(subject__contains="Confirmez").count() == 1


def race(*actions) -> list[str]:
    """Run the actions in threads released together; each outcome is
    "done" or the name of the exception it raised."""
    start = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action) -> None:
        try:
            start.wait()
            action()
            outcomes.append("done")
        except Exception as error:  # the test looks at which exception
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_a_transfer_accepted_and_cancelled_at_once_has_one_outcome(cast):
    nord = Organisation.objects.get(slug="nord")
    transfer = transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=nord,
        reason="move",
        effective_date=timezone.localdate(),  # accepted, it takes effect at once
        message="",
        actor=cast.alice,
    )

    outcomes = race(
        lambda: transfer_accept(transfer_id=transfer.pk, destination=nord, actor=cast.chloe),
        lambda: transfer_cancel(transfer_id=transfer.pk, user=cast.alice),
    )

    assert outcomes == ["TransferStateError", "done"]
    transfer.refresh_from_db()
    alice = Agent.objects.get(user=cast.alice)
    if transfer.state == Transfer.State.ACCEPTED:
        assert alice.clas == nord
    else:
        assert transfer.state == Transfer.State.CANCELLED
        assert alice.clas.slug == "sud-ouest"


def test_two_correspondents_accepting_at_once_move_the_agent_once(cast):
    nord = Organisation.objects.get(slug="nord")
    second = _staff("csr2.nord@alpha-sierra.org", nord, Role.Kind.SOCIAL_CORRESPONDENT)
    transfer = transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=nord,
        reason="move",
        effective_date=timezone.localdate(),  # accepted, it takes effect at once
        message="",
        actor=cast.alice,
    )

    outcomes = race(
        lambda: transfer_accept(transfer_id=transfer.pk, destination=nord, actor=cast.chloe),
        lambda: transfer_accept(transfer_id=transfer.pk, destination=nord, actor=second),
    )

    assert outcomes == ["TransferStateError", "done"]
    assert (
        OutboxMessage.objects.filter(to_email="alice@example.fr", subject__contains="transfert est accepté").count()
        == 1
    )
