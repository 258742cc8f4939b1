from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services.approval import AgentStateError, agent_approve, agent_reject, agents_remind_managers
from alphasierra.agents.services.erasure import agents_purge_unconfirmed
from alphasierra.agents.services.signup import AgentDetails, RelativeDetails, agent_confirm_email, agent_register
from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation, Role

pytestmark = pytest.mark.django_db


def details(**overrides: object) -> AgentDetails:
    fields: dict[str, object] = {
        "civility": "m",
        "last_name": "Lefèvre",
        "first_name": "Élodie",
        "employer": "meteo_france",
        "status": "retired",
        "service": "Centre météorologique de Toulouse",
        "service_address": "42 avenue Coriolis, 31057 Toulouse",
        "work_phone": "+33561070000",
        "personal_phone": "+33698765432",
        "address": "3 place du Capitole",
        "postal_code": "31000",
        "city": "Toulouse",
    }
    fields.update(overrides)
    return AgentDetails(**fields)  # type: ignore[arg-type]


def register_attempt(email: str = "elodie@example.fr", slug: str = "sud-ouest", **overrides) -> Agent | None:
    clas = Organisation.objects.get(slug=slug)
    return agent_register(
        clas=clas, email=email, password="phrase de passe longue", details=details(**overrides), request=None
    )


def register(email: str = "elodie@example.fr", slug: str = "sud-ouest", **overrides) -> Agent:
    agent = register_attempt(email, slug, **overrides)
    assert agent is not None
    return agent


def test_it_creates_account_agent_and_family_waiting_for_email(outbox):
    agent = register(
        spouse=RelativeDetails("Lefèvre", "Marc", date(1979, 1, 2)),
        children=[RelativeDetails("Lefèvre", "Zoé"), RelativeDetails("Lefèvre", "Noé", date(2019, 3, 4))],
        children_count=2,
    )

    assert agent.state == Agent.State.EMAIL_PENDING
    assert agent.clas.slug == "sud-ouest"
    assert agent.user.check_password("phrase de passe longue")
    assert EmailAddress.objects.get(user=agent.user).verified is False
    assert sorted(agent.relatives.values_list("kind", "first_name")) == [
        ("child", "Noé"),
        ("child", "Zoé"),
        ("spouse", "Marc"),
    ]
    [confirmation] = outbox("elodie@example.fr")
    assert confirmation.subject == "[CLAS Sud-Ouest] Confirmez votre adresse e-mail"
    assert "http://127.0.0.1:8000/comptes/confirm-email/" in confirmation.body_text
    assert AuditEvent.objects.filter(action="agent.registered", subject=agent.user).exists()


def test_an_address_already_used_in_any_case_creates_nothing_and_warns_its_owner(cast, outbox):
    before = (User.objects.count(), Agent.objects.count(), Relative.objects.count())

    result = register_attempt(email="ALICE@Example.FR")

    assert result is None
    assert (User.objects.count(), Agent.objects.count(), Relative.objects.count()) == before
    warning = outbox("alice@example.fr")[-1]
    assert "Tentative d'inscription avec votre adresse" in warning.subject
    assert "Aucun compte n'a été créé" in warning.body_text


def test_accounts_are_made_on_a_clas_site_only():
    with pytest.raises(ValueError, match="CLAS"):
        register(slug="aramis")


def test_confirming_the_email_sends_the_request_to_the_clas_site_managers(cast, outbox):
    agent = register()

    agent_confirm_email(user=agent.user)

    agent.refresh_from_db()
    assert agent.state == Agent.State.AWAITING_APPROVAL
    assert agent.email_confirmed_at is not None
    [request] = outbox(cast.bruno.email)[-1:]
    assert "Inscription à valider : Élodie Lefèvre" in request.subject
    assert f"/sud-ouest/gestion/inscriptions/{agent.pk}/" in request.body_text
    # Only the managers of that CLAS are told.
    assert not [m for m in outbox(cast.chloe.email) if "Élodie" in m.subject]


def test_confirming_twice_changes_nothing(cast, outbox):
    agent = register()
    agent_confirm_email(user=agent.user)
    sent = len(outbox(cast.bruno.email))

    agent_confirm_email(user=agent.user)

    assert len(outbox(cast.bruno.email)) == sent


def test_a_clas_without_site_manager_sends_requests_to_the_national_administrators(cast, outbox):
    Role.objects.filter(organisation__slug="enac", kind=Role.Kind.SITE_MANAGER).delete()
    agent = register(slug="enac")

    agent_confirm_email(user=agent.user)

    assert "Inscription à valider" in outbox(cast.nadia.email)[-1].subject


def test_approval_tells_the_agent(cast, outbox):
    paul = cast.paul.agent
    clas = paul.clas

    agent_approve(agent_id=paul.pk, clas=clas, manager=cast.bruno)

    paul.refresh_from_db()
    assert paul.state == Agent.State.APPROVED
    assert paul.decided_by == cast.bruno
    assert outbox("paul@example.fr")[-1].subject == "[CLAS Sud-Ouest] Votre inscription est validée"
    assert AuditEvent.objects.filter(action="agent.approved", actor=cast.bruno, subject=cast.paul).exists()


def test_a_request_is_decided_once(cast, outbox):
    paul = cast.paul.agent
    agent_approve(agent_id=paul.pk, clas=paul.clas, manager=cast.bruno)
    sent = len(outbox("paul@example.fr"))

    with pytest.raises(AgentStateError):
        agent_reject(agent_id=paul.pk, clas=paul.clas, manager=cast.bruno, reason="Trop tard")

    assert len(outbox("paul@example.fr")) == sent


def test_a_manager_cannot_decide_for_another_clas(cast):
    paul = cast.paul.agent
    nord = Organisation.objects.get(slug="nord")

    with pytest.raises(Agent.DoesNotExist):
        agent_approve(agent_id=paul.pk, clas=nord, manager=cast.chloe)


def test_rejection_closes_the_account_and_gives_the_reason(cast, outbox, client):
    client.force_login(cast.paul)
    paul = cast.paul.agent

    agent_reject(agent_id=paul.pk, clas=paul.clas, manager=cast.bruno, reason="Inconnu des services du CLAS.")

    paul.refresh_from_db()
    assert paul.state == Agent.State.REJECTED
    assert paul.rejection_reason == "Inconnu des services du CLAS."
    assert User.objects.get(pk=cast.paul.pk).is_active is False
    message = outbox("paul@example.fr")[-1]
    assert "n'a pas été validée" in message.subject
    assert "Inconnu des services du CLAS." in message.body_text
    # The session opened before the rejection no longer logs him in.
    assert "paul@example.fr" not in client.get("/sud-ouest/").content.decode()


def test_a_rejection_needs_a_reason(cast):
    paul = cast.paul.agent

    with pytest.raises(ValueError, match="reason"):
        agent_reject(agent_id=paul.pk, clas=paul.clas, manager=cast.bruno, reason="   ")


def test_managers_are_reminded_of_requests_waiting_more_than_a_week(cast, outbox):
    now = timezone.now()
    Agent.objects.filter(user=cast.paul).update(email_confirmed_at=now - timedelta(days=8))

    assert agents_remind_managers(now=now) == 1
    assert "attend votre validation" in outbox(cast.bruno.email)[-1].subject
    # Not again the next day, again a week later.
    assert agents_remind_managers(now=now + timedelta(days=1)) == 0
    assert agents_remind_managers(now=now + timedelta(days=8)) == 1


def test_a_recent_request_is_not_reminded(cast):
    assert agents_remind_managers() == 0


def test_accounts_left_unconfirmed_for_30_days_are_deleted(cast):
    agent = register()
    Agent.objects.filter(pk=agent.pk).update(created_at=timezone.now() - timedelta(days=31))
    fresh = register(email="recent@example.fr")

    assert agents_purge_unconfirmed() == 1
    assert not User.objects.filter(email="elodie@example.fr").exists()
    assert Agent.objects.filter(pk=fresh.pk).exists()
    assert User.objects.filter(email="paul@example.fr").exists()  # confirmed, kept
