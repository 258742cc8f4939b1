"""The journal is complete: every look at an agent's data, every change to an
account, every export, and the agent sees them in « Mon compte »."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alphasierra.accounts.models import User
from alphasierra.agents.services.family import FamilyRow, agent_family_update
from alphasierra.agents.services.register import agent_update
from alphasierra.audit.models import AuditEvent
from alphasierra.audit.selectors import audit_about
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient, make_agents, totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "alpha-sierra-demo"
REGISTER = "/sud-ouest/gestion/agents/"


def log_in(client: Client, email: str) -> None:
    response = client.post("/comptes/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302


def actions_about(user: User) -> list[str]:
    return list(AuditEvent.objects.filter(subject=user).order_by("pk").values_list("action", flat=True))


@pytest.mark.parametrize("page", ["modifier/", "famille/"])
def test_opening_the_correction_or_family_page_is_a_consultation(client, cast, page):
    client.force_login(cast.bruno)

    assert client.get(f"{REGISTER}{cast.alice.agent.pk}/{page}").status_code == 200

    assert AuditEvent.objects.filter(action="agent.viewed", actor=cast.bruno, subject=cast.alice).count() == 1


def test_an_email_change_is_recorded_on_the_person(client, cast, outbox, django_capture_on_commit_callbacks):
    log_in(client, "alice@example.fr")
    client.post("/comptes/reauthenticate/", {"password": PASSWORD})
    client.post("/comptes/email/", {"action_add": "", "email": "alice.martin@example.fr"})
    link = re.search(
        r"http://127\.0\.0\.1:8000(/comptes/confirm-email/\S+/)", outbox("alice.martin@example.fr")[-1].body_text
    )
    assert link is not None

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.group(1))

    actions = actions_about(cast.alice)
    assert {"account.email_added", "account.email_confirmed", "account.email_changed"} <= set(actions)
    changed = AuditEvent.objects.get(action="account.email_changed")
    assert changed.actor == cast.alice
    assert changed.data == {"from": "alice@example.fr", "to": "alice.martin@example.fr"}
    assert "Adresse e-mail changée" in client.get("/comptes/mon-compte/historique/").content.decode()


def test_a_password_change_is_recorded(client, cast):
    log_in(client, "alice@example.fr")

    client.post(
        "/comptes/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "un nouveau mot de passe solide",
            "password2": "un nouveau mot de passe solide",
        },
    )

    event = AuditEvent.objects.get(action="account.password_changed")
    assert (event.actor, event.subject) == (cast.alice, cast.alice)
    assert "Mot de passe changé" in client.get("/comptes/mon-compte/historique/").content.decode()


def test_a_password_reset_is_recorded(client, cast, outbox):
    client.post("/comptes/password/reset/", {"email": "alice@example.fr"})
    link = re.search(r"http://127\.0\.0\.1:8000(\S+)", outbox("alice@example.fr")[-1].body_text)
    assert link is not None
    form = client.get(link.group(1), follow=True)

    client.post(
        form.redirect_chain[-1][0], {"password1": "une toute nouvelle phrase", "password2": "une toute nouvelle phrase"}
    )

    assert "account.password_reset" in actions_about(cast.alice)


def test_turning_the_second_factor_on_and_off_is_recorded(client, cast, django_capture_on_commit_callbacks):
    log_in(client, "alice@example.fr")
    client.post("/comptes/reauthenticate/", {"password": PASSWORD})
    secret = client.get("/comptes/2fa/totp/activate/").context["form"].secret

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/comptes/2fa/totp/activate/", {"code": totp_code(secret)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/comptes/2fa/totp/deactivate/")

    actions = actions_about(cast.alice)
    assert "account.second_factor_added" in actions
    assert "account.second_factor_removed" in actions
    body = client.get("/comptes/mon-compte/historique/").content.decode()
    assert "Double authentification activée" in body
    assert "Double authentification désactivée" in body


@pytest.mark.django_db(transaction=True)  # allauth tells of the activation on commit
def test_staff_who_just_set_up_their_second_factor_are_not_asked_for_it_again(client, cast):
    cast.bruno.authenticator_set.all().delete()
    log_in(client, "bruno@alpha-sierra.org")
    assert client.get(REGISTER).headers["Location"].startswith("/comptes/2fa/totp/activate/")
    client.post("/comptes/reauthenticate/", {"password": PASSWORD})
    secret = client.get("/comptes/2fa/totp/activate/").context["form"].secret

    client.post("/comptes/2fa/totp/activate/", {"code": totp_code(secret)})

    assert client.get(REGISTER).status_code == 200


def test_an_export_records_who_it_included(client, cast):
    client.force_login(cast.bruno)

    b"".join(client.get(f"{REGISTER}export.csv").streaming_content)

    event = AuditEvent.objects.get(action="register.exported")
    included = set(event.included.all())
    assert cast.alice in included
    assert cast.karim not in included
    assert event.data["rows"] == len(included)
    assert event in audit_about(cast.alice)
    assert event not in audit_about(cast.karim)


def test_the_agent_sees_views_family_edits_corrections_and_exports_and_by_whom(client, cast):
    alice = cast.alice.agent
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    staff = PortalClient()
    staff.force_login(cast.bruno)
    staff.get(f"{REGISTER}{alice.pk}/")
    agent_update(
        agent_id=alice.pk, clas=sud_ouest, actor=cast.bruno, changes={"city": "Colomiers", "children_count": 3}
    )
    agent_family_update(
        agent_id=alice.pk,
        clas=sud_ouest,
        actor=cast.bruno,
        rows=[FamilyRow(kind="child", last_name="Martin", first_name="Zoé")],
    )
    export: Any = staff.get(f"{REGISTER}export.csv")
    b"".join(export.streaming_content)
    client.force_login(cast.alice)

    body = client.get("/comptes/mon-compte/").content.decode()

    seen = body[body.index('id="consultations"') :]
    assert "a consulté vos données" in seen
    assert "a corrigé vos données" in seen
    assert "a modifié votre famille" in seen
    assert "a exporté une liste d'agents qui vous incluait" in seen
    # Each line names who did it: the views, correction, family edit, export (and approval).
    assert seen.count("Bruno Lambert (CLAS Sud-Ouest)") == 5


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_event_costs_the_same_queries_for_5_or_200_agents(client, cast, fmt):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    client.force_login(cast.bruno)
    url = f"{REGISTER}export.{fmt}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            if fmt == "csv":
                b"".join(response.streaming_content)
        return len(captured)

    make_agents(5, sud_ouest, "approved", 0)
    client.get(url)  # the session, warmed
    few = queries()
    make_agents(195, sud_ouest, "approved", 5)
    many = queries()

    assert many == few
    assert AuditEvent.objects.filter(action="register.exported").latest("pk").included.count() >= 200
