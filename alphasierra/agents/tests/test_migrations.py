"""The data migration of the agents app, run on agents made before it."""

import pytest
from django.db import connection

from alphasierra.agents.models import Agent
from alphasierra.agents.search import search_agents, search_text_for
from alphasierra.tests.migrating import migrated_back

pytestmark = pytest.mark.django_db(transaction=True)


def test_0003_search_text_fills_the_search_text_of_the_agents_already_registered():
    with migrated_back("agents", "0003_search_text") as run:
        organisation = run.apps.get_model("organisations", "Organisation")
        clas = organisation.objects.create(kind="clas", slug="essai", name="CLAS Essai", short_name="Essai")
        for last_name, first_name, email in [
            ("O'Connor", "Hélène", "helene.oconnor@example.fr"),
            ("Lefèvre", "Jean-Pierre", "jp.lefevre@example.fr"),
        ]:
            run.agent_make(clas=clas, last_name=last_name, first_name=first_name, email=email)

        run.forward()

    agents = Agent.objects.filter(clas__slug="essai").select_related("user").order_by("last_name")
    assert [agent.search_text for agent in agents] == [
        "lefevre jean pierre jp lefevre example fr sna sud ouest",
        "oconnor helene helene oconnor example fr sna sud ouest",
    ]
    # The migration's frozen copy of the normalisation agrees with today's.
    assert [agent.search_text for agent in agents] == [search_text_for(agent) for agent in agents]
    assert [agent.first_name for agent in search_agents(agents, "HELENE o'connor")] == ["Hélène"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'agent_search_trgm'")
            assert "gin_trgm_ops" in cursor.fetchone()[0]
