"""Two site managers deciding on the same request at the same moment."""

import threading

import pytest
from django.db import connection, connections

from alphasierra.agents.models import Agent
from alphasierra.agents.services import AgentStateError, agent_approve, agent_reject
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation, Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Row locks (SELECT … FOR UPDATE) are what serialises the two decisions;
    # SQLite has none and serialises whole writes instead, so the race is
    # exercised on PostgreSQL, where the portal runs in production.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row-level locks (PostgreSQL)"),
]


def test_one_decision_wins_and_the_other_manager_is_told(cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    from alphasierra.demo import _staff

    second = _staff("odile@alpha-sierra.org", sud_ouest, Role.Kind.SITE_MANAGER)
    paul = cast.paul.agent
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(action) -> None:
        try:
            start.wait()
            action()
            outcomes.append("done")
        except AgentStateError:
            outcomes.append("too late")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=decide, args=(lambda: agent_approve(agent_id=paul.pk, clas=sud_ouest, manager=cast.bruno),)
        ),
        threading.Thread(
            target=decide,
            args=(lambda: agent_reject(agent_id=paul.pk, clas=sud_ouest, manager=second, reason="Inconnu"),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["done", "too late"]
    paul.refresh_from_db()
    assert paul.state in {Agent.State.APPROVED, Agent.State.REJECTED}
    decisions = OutboxMessage.objects.filter(to_email="paul@example.fr", subject__contains="inscription")
    assert decisions.exclude(subject__contains="Confirmez").count() == 1
