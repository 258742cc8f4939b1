"""Every e-mail the portal sends opens with one greeting (``mail/_greeting.txt``),
naming the recipient when the portal knows their name."""

from datetime import date
from pathlib import Path

import allauth
import pytest
from allauth.core import context as allauth_context
from django.test import RequestFactory
from django.utils import translation

from alphasierra.accounts.adapter import AccountAdapter
from alphasierra.agents.models import Agent
from alphasierra.agents.services.approval import agent_approve
from alphasierra.agents.services.signup import AgentDetails, agent_register
from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_render
from alphasierra.organisations.models import Organisation, Role
from alphasierra.transfers.services import transfer_request

pytestmark = pytest.mark.django_db

PORTAL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
ALICE = "Bonjour Madame Alice Martin,"


def portal_messages() -> list[str]:
    """Every ``mail/<name>`` the services queue: each has a subject template."""
    return sorted(path.name.removesuffix("_subject.txt") for path in (PORTAL_TEMPLATES / "mail").glob("*_subject.txt"))


def account_messages() -> list[str]:
    """Every message allauth may send, the portal's overrides included."""
    prefixes = set()
    for root in (PORTAL_TEMPLATES, ALLAUTH_TEMPLATES):
        for folder in ("account/email", "mfa/email"):
            prefixes |= {
                f"{folder}/{path.name.removesuffix('_subject.txt')}" for path in (root / folder).glob("*_subject.txt")
            }
    return sorted(prefixes)


@pytest.fixture
def everything(cast):
    """A context holding what any of the messages names."""
    agent = Agent.objects.get(user=cast.alice)
    transfer = transfer_request(
        agent_id=agent.pk,
        destination=Organisation.objects.get(slug="nord"),
        reason="retirement",
        effective_date=date(2027, 6, 1),
        message="",
        actor=cast.alice,
    )
    return {
        "agent": agent,
        "agents": [agent],
        "transfer": transfer,
        "role": Role.objects.filter(user=cast.bruno).first(),
        "reason": "Motif",
        "has_managers": True,
    }


def test_every_message_is_covered():
    assert len(portal_messages()) >= 14
    assert "account/email/password_reset_key" in account_messages()
    assert "mfa/email/totp_activated" in account_messages()


@pytest.mark.parametrize("template", portal_messages())
def test_each_portal_message_greets_the_recipient_by_name(template, everything, cast):
    rendered = message_render(
        template=template, context=everything, organisation=everything["agent"].clas, to=cast.alice.email
    )

    assert rendered.text.startswith(f"{ALICE}\n\n")
    assert rendered.text.count("Bonjour") == 1
    assert f"<p>{ALICE}</p>" in rendered.html
    assert rendered.html.count("Bonjour") == 1


@pytest.mark.parametrize("template", portal_messages())
def test_each_portal_message_says_a_plain_bonjour_to_a_stranger(template, everything):
    rendered = message_render(
        template=template, context=everything, organisation=None, to="responsable.enac@alpha-sierra.org"
    )

    assert rendered.text.startswith("Bonjour,\n\n")
    assert "<p>Bonjour,</p>" in rendered.html


@pytest.mark.parametrize("template", account_messages())
def test_each_account_message_greets_the_account_holder_by_name(template, everything, cast):
    request = RequestFactory().get("/")
    request.user = cast.alice
    context = {
        "user": cast.alice,
        "activate_url": "https://alpha-sierra.org/lien",
        "password_reset_url": "https://alpha-sierra.org/lien",
        "from_email": "ancienne@example.fr",
        "to_email": cast.alice.email,
        "deleted_email": "ancienne@example.fr",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": "1er juin 2026",
        "code": "ABC123",
    }

    # allauth writes in the language of the request: here the portal's French.
    with translation.override("fr"), allauth_context.request_context(request):
        AccountAdapter(request).send_mail(template, cast.alice.email, context)

    message = OutboxMessage.objects.filter(to_email=cast.alice.email).latest("pk")
    assert message.body_text.startswith(f"{ALICE}\n\n")
    assert message.body_text.count("Bonjour") == 1
    assert "Hello" not in message.body_text
    if message.body_html:
        assert f"<p>{ALICE}</p>" in message.body_html


def test_an_unknown_address_gets_a_plain_bonjour(cast):
    request = RequestFactory().get("/")

    with translation.override("fr"), allauth_context.request_context(request):
        AccountAdapter(request).send_mail("account/email/unknown_account", "inconnu@example.fr", {})

    text = OutboxMessage.objects.get(to_email="inconnu@example.fr").body_text
    assert text.startswith("Bonjour,\n\n")
    assert "adresse e-mail inconnu@example.fr" in text
    assert "email" not in text.replace("e-mail", "")


def test_the_agent_approved_greets_paul_with_his_civilite(cast, outbox):

    paul = Agent.objects.get(user=cast.paul)
    agent_approve(agent_id=paul.pk, clas=paul.clas, manager=cast.bruno)

    assert outbox(cast.paul.email)[-1].body_text.startswith("Bonjour Monsieur Paul Durand,\n\n")


def test_the_sign_up_confirmation_greets_the_new_agent(cast, outbox):
    details = AgentDetails(
        civility="mme",
        last_name="O'Connor",
        first_name="Hélène",
        employer="meteo_france",
        status="retired",
        service="Centre météo de Toulouse",
        service_address="42 avenue Coriolis, Toulouse",
        work_phone="+33561070000",
        personal_phone="+33698765432",
        address="3 place du Capitole",
        postal_code="31000",
        city="Toulouse",
    )
    sud_ouest = Organisation.objects.get(slug="sud-ouest")

    with translation.override("fr"):
        agent_register(
            clas=sud_ouest, email="helene@example.fr", password="phrase de passe longue", details=details, request=None
        )

    message = outbox("helene@example.fr")[-1]
    assert message.body_text.startswith("Bonjour Madame Hélène O'Connor,\n\n")
    assert "<p>Bonjour Madame Hélène O&#x27;Connor,</p>" in message.body_html


def test_the_greeting_is_french_whatever_the_senders_language(everything, cast):
    # A manager browsing in English approves Alice: her e-mail is French throughout.
    with translation.override("en"):
        rendered = message_render(
            template="agent_approved", context=everything, organisation=everything["agent"].clas, to=cast.alice.email
        )

    assert rendered.text.startswith(f"{ALICE}\n\n")
