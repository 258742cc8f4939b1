"""What a sign-up and the confirmation of its address cost: one password hash,
and look-ups of the address that never read every account."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alphasierra.agents.models import Agent
from alphasierra.agents.services.signup import (
    agent_confirm_email_code,
    agent_issue_confirmation_code,
    agent_resend_confirmation,
)
from alphasierra.agents.tests.test_views import SIGNUP, signup_data
from alphasierra.organisations.models import Organisation
from alphasierra.testing import make_accounts, make_agents
from alphasierra.tests.plans import whole_table_reads

pytestmark = pytest.mark.django_db
ACCOUNT_TABLES = ("accounts_user", "account_emailaddress")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's (EXPLAIN)")


@pytest.fixture
def many_accounts() -> None:
    """Enough accounts for PostgreSQL's planner to prefer an index where one
    serves, with the statistics autovacuum would keep."""
    make_accounts(3000)
    with connection.cursor() as cursor:
        for table in ACCOUNT_TABLES:
            cursor.execute(f"ANALYZE {table}")


@pytest.mark.parametrize("email", ["elodie@example.fr", "Alice@Example.fr"], ids=["new address", "known address"])
def test_a_sign_up_hashes_the_password_once(cast, hashes, email):
    response = Client().post(SIGNUP, signup_data(email=email))

    assert response.status_code == 302
    assert hashes == [signup_data()["password1"]]


@postgresql_only
@pytest.mark.parametrize("email", ["Elodie@Example.fr", "ALICE@example.fr"], ids=["new address", "known address"])
def test_a_sign_up_looks_the_address_up_through_an_index(cast, many_accounts, email):
    with CaptureQueriesContext(connection) as captured:
        response = Client().post(SIGNUP, signup_data(email=email))
    looked_up, whole = whole_table_reads(captured.captured_queries, tables=ACCOUNT_TABLES)

    assert response.status_code == 302
    assert looked_up >= 1
    assert not whole, "\n\n".join(whole)


@postgresql_only
def test_confirming_by_code_and_sending_again_look_the_address_up_through_an_index(cast, many_accounts):
    # Many sign-ups waiting for their confirmation too: the planner would
    # otherwise start from the few agents and never reach the addresses' index.
    make_agents(3000, Organisation.objects.get(slug="sud-ouest"), Agent.State.EMAIL_PENDING, 0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agents_agent")
    Client().post(SIGNUP, signup_data())
    agent = Agent.objects.get(user__email="elodie@example.fr")

    with CaptureQueriesContext(connection) as resent:
        assert agent_resend_confirmation(email=" Elodie@Example.FR ", request=None)
    code = agent_issue_confirmation_code(agent=agent)  # the e-mail's: each one sent voids the one before
    with CaptureQueriesContext(connection) as confirmed:
        assert agent_confirm_email_code(email="ELODIE@example.fr", code=code) is not None
    looked_up, whole = whole_table_reads(resent.captured_queries + confirmed.captured_queries, tables=ACCOUNT_TABLES)

    assert Agent.objects.get(pk=agent.pk).state == Agent.State.AWAITING_APPROVAL
    assert looked_up >= 2
    assert not whole, "\n\n".join(whole)
