"""The Django admin reads personal data and never writes it: a change there
would skip the services (audit trail, search text, e-mails to the person)."""

from datetime import date
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import models

from alphasierra.agents.models import Agent, Relative
from alphasierra.associations.models import AssociationLink
from alphasierra.associations.services import association_visit
from alphasierra.audit.models import AuditEvent
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation, Role
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import transfer_request

pytestmark = pytest.mark.django_db

WATCHED: list[type[models.Model]] = [
    Agent,
    Relative,
    Transfer,
    AssociationLink,
    AuditEvent,
    OutboxMessage,
    Role,
    EmailAddress,
    Authenticator,
]

# model, what to change in its admin form
CHANGES: list[tuple[type[models.Model], dict[str, Any]]] = [
    (Agent, {"last_name": "Changé"}),
    (Transfer, {"message": "changé"}),
    (AssociationLink, {}),
    (AuditEvent, {}),
    (OutboxMessage, {}),
    (Role, {"kind": "national_admin"}),
    (EmailAddress, {"email": "autre@example.fr"}),
    (Authenticator, {}),
    (UserSession, {}),
]


def snapshot() -> dict[str, Any]:
    from alphasierra.accounts.models import User

    tables: dict[str, Any] = {model.__name__: list(model._default_manager.order_by("pk").values()) for model in WATCHED}
    tables["User"] = list(User.objects.order_by("pk").values("pk", "email", "is_active", "is_staff", "password"))
    tables["UserSession"] = list(UserSession.objects.order_by("pk").values("pk", "user_id", "session_key"))
    return tables


@pytest.fixture
def objects(cast) -> dict[type[models.Model], models.Model]:
    transfer = transfer_request(
        agent_id=cast.karim.agent.pk,
        destination=Organisation.objects.get(slug="sud-ouest"),
        reason="move",
        effective_date=date(2027, 1, 1),
        message="",
        actor=cast.karim,
    )
    link = association_visit(user=cast.alice, association=Organisation.objects.get(slug="aramis"))
    UserSession.objects.create(user=cast.alice, session_key="k" * 32, ip="127.0.0.1", data={})
    return {
        Agent: cast.alice.agent,
        Transfer: transfer,
        AssociationLink: link,
        AuditEvent: AuditEvent.objects.first(),
        OutboxMessage: OutboxMessage.objects.first(),
        Role: Role.objects.filter(user=cast.bruno).first(),
        EmailAddress: EmailAddress.objects.get(user=cast.alice),
        Authenticator: Authenticator.objects.filter(user=cast.bruno).first(),
        UserSession: UserSession.objects.get(user=cast.alice),
    }


def admin_url(model: type[models.Model], suffix: str) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


def form_data(response) -> dict[str, Any]:
    """What the change form would post back as it is (empty when read-only)."""
    if response.context is None or "adminform" not in response.context:
        return {}
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


@pytest.mark.parametrize(("model", "changes"), CHANGES, ids=[model.__name__ for model, _ in CHANGES])
def test_the_admin_refuses_every_write_even_to_a_superuser(client, cast, objects, model, changes):
    client.force_login(cast.nadia)
    instance = objects[model]
    change_url = admin_url(model, f"{instance.pk}/change/")
    assert client.get(change_url).status_code == 200  # still readable
    before = snapshot()

    change = client.post(change_url, {**form_data(client.get(change_url)), **changes})
    add = client.post(admin_url(model, "add/"), {**form_data(client.get(change_url)), **changes})
    delete = client.post(admin_url(model, f"{instance.pk}/delete/"), {"post": "yes"})
    bulk = client.post(
        admin_url(model, ""), {"action": "delete_selected", "_selected_action": [instance.pk], "post": "yes"}
    )

    assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)
    assert snapshot() == before


def test_the_admin_refuses_to_change_a_persons_account(client, cast):
    client.force_login(cast.nadia)
    alice = cast.alice
    url = admin_url(alice.__class__, f"{alice.pk}/")
    assert client.get(url + "change/").status_code == 200  # still readable
    before = snapshot()

    change = client.post(url + "change/", {"email": "autre@example.fr", "is_active": "on", "is_staff": "on"})
    password = client.post(
        url + "password/", {"password1": "nouveau mot de passe", "password2": "nouveau mot de passe"}
    )
    delete = client.post(url + "delete/", {"post": "yes"})

    assert (change.status_code, password.status_code, delete.status_code) == (403, 403, 403)
    assert snapshot() == before


def test_an_address_cannot_be_marked_verified_from_the_admin(client, cast):
    client.force_login(cast.nadia)
    address = EmailAddress.objects.get(user=cast.paul)
    address.verified = False
    address.save(update_fields=["verified"])

    client.post(admin_url(EmailAddress, ""), {"action": "make_verified", "_selected_action": [address.pk]})

    address.refresh_from_db()
    assert not address.verified


def test_the_admin_never_shows_a_second_factors_secret(client, cast):
    client.force_login(cast.nadia)
    authenticator = Authenticator.objects.filter(user=cast.bruno).first()

    body = client.get(admin_url(Authenticator, f"{authenticator.pk}/change/")).content.decode()

    assert authenticator.data["secret"] not in body
