"""Each state-changing form of the portal, sent twice as rendered, acts once.

Every test opens the page, reads the form as a browser sends it, sends it
twice and checks: the first did its work, the second changed nothing (rows,
audit events, e-mails) and led to the same page with a message saying so.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services.erasure import agent_request_deletion
from alphasierra.agents.tests.test_views import SIGNUP, confirmation_code, confirmation_link, signup_data
from alphasierra.associations.models import AssociationLink
from alphasierra.audit.models import AuditEvent
from alphasierra.mail.models import OutboxMessage
from alphasierra.once.tests.forms import forms_of, post_form
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import with_second_factor
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import transfer_request

pytestmark = pytest.mark.django_db

PASSWORD = "alpha-sierra-demo"
ALREADY_SENT = "Ce formulaire a déjà été envoyé : l&#x27;action n&#x27;a été faite qu&#x27;une fois."


def effects() -> dict[str, object]:
    """What any form of the portal may change."""
    return {
        "users": User.objects.count(),
        "agents": list(Agent.objects.order_by("pk").values_list("pk", "state", "clas_id", "deletion_requested_at")),
        "relatives": Relative.objects.count(),
        "transfers": list(Transfer.objects.order_by("pk").values_list("pk", "state")),
        "roles": Role.objects.count(),
        "links": list(AssociationLink.objects.order_by("pk").values_list("pk", "state")),
        "audit": AuditEvent.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def send_twice(
    client: Client, page: str, action: str, button: str | None = None, *, opened: str | None = None, **values: str
) -> dict[str, object]:
    """Open ``page`` (unless its HTML is given as ``opened``), fill its form to
    ``action``, send it twice; return the effects after the first submission,
    checked unchanged by the second."""
    html = opened if opened is not None else client.get(page).content.decode()
    data = post_form(html, action).data(button, **values)

    first = client.post(action, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    after_first = effects()
    second = client.post(action, data)

    assert effects() == after_first
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert ALREADY_SENT in client.get(second.headers["Location"]).content.decode()
    return after_first


# « Mon compte »


def test_adding_a_child_in_my_account_twice_adds_one(client, cast):
    Agent.objects.filter(user=cast.alice).update(children_count=3)
    client.force_login(cast.alice)
    page = "/comptes/mon-compte/famille/"
    with_row = client.post(page, {**post_form(client.get(page).content.decode(), page).data("ajouter_ligne")})
    data = post_form(with_row.content.decode(), page).data(
        "enregistrer",
        **{"famille-3-kind": "child", "famille-3-last_name": "Martin", "famille-3-first_name": "Zoé"},
        **{"famille-3-birth_date": "2019-04-02"},
    )

    first = client.post(page, data)
    second = client.post(page, data)

    assert first.status_code == second.status_code == 302
    assert list(Relative.objects.filter(agent__user=cast.alice, first_name="Zoé").values_list("last_name")) == [
        ("Martin",)
    ]
    assert AuditEvent.objects.filter(action="agent.family_updated").count() <= 1
    assert ALREADY_SENT in client.get(second.headers["Location"]).content.decode()


def test_my_account_edit_sent_twice_is_recorded_once(client, cast):
    client.force_login(cast.alice)
    page = "/comptes/mon-compte/modifier/"

    send_twice(client, page, page, city="Blagnac")

    assert Agent.objects.get(user=cast.alice).city == "Blagnac"
    assert AuditEvent.objects.filter(action="agent.updated").count() == 1


def test_asking_to_delete_my_account_twice_asks_once(client, cast):
    client.force_login(cast.alice)
    page = "/comptes/mon-compte/supprimer/"

    send_twice(client, page, page)

    assert AuditEvent.objects.filter(action="agent.deletion_requested").count() == 1


def test_cancelling_my_deletion_request_twice_cancels_once(client, cast):
    agent_request_deletion(user=cast.alice)
    client.force_login(cast.alice)
    page = "/comptes/mon-compte/supprimer/"

    send_twice(client, page, page, "annuler")

    assert Agent.objects.get(user=cast.alice).deletion_requested_at is None
    assert AuditEvent.objects.filter(action="agent.deletion_cancelled").count() == 1


def test_withdrawing_from_an_association_twice_withdraws_once(client, cast):
    client.force_login(cast.alice)
    client.get("/aramis/")

    send_twice(client, "/comptes/mon-compte/", "/comptes/mon-compte/associations/aramis/retirer/")

    assert AuditEvent.objects.filter(action="association.withdrawn").count() == 1


def test_coming_back_to_an_association_twice_relinks_once(client, cast):
    client.force_login(cast.alice)
    client.get("/aramis/")
    client.post("/comptes/mon-compte/associations/aramis/retirer/")

    send_twice(client, "/aramis/", "/aramis/me-faire-connaitre/")

    assert AuditEvent.objects.filter(action="association.relinked").count() == 1


# Sign-up and e-mail confirmation


def test_signing_up_twice_creates_one_account_and_one_email(client, cast, outbox):
    send_twice(client, SIGNUP, SIGNUP, "envoyer", **signup_data())

    assert User.objects.filter(email="elodie@example.fr").count() == 1
    assert len(outbox("elodie@example.fr")) == 1


def test_resending_the_confirmation_twice_sends_one_email(client, cast, outbox):
    client.post(SIGNUP, signup_data())

    send_twice(client, "/sud-ouest/inscription/envoyee/", "/sud-ouest/inscription/renvoyer/")

    assert len(outbox("elodie@example.fr")) == 2  # the sign-up's and one resend


def test_resending_from_a_dead_link_twice_sends_one_email(client, cast, outbox, settings):
    client.post(SIGNUP, signup_data())
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1
    page = "/comptes/confirm-email/not-a-key/"

    send_twice(client, page, "/comptes/confirmation/renvoyer/", email="elodie@example.fr")

    assert len(outbox("elodie@example.fr")) == 2


def test_the_confirmation_code_sent_twice_confirms_once(client, cast, outbox):
    client.post(SIGNUP, signup_data())
    page = "/comptes/confirmation/code/"

    send_twice(client, page, page, email="elodie@example.fr", code=confirmation_code(outbox, "elodie@example.fr"))

    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.AWAITING_APPROVAL


# The CLAS back-office


def test_approving_twice_approves_once(client, cast, outbox):
    paul = cast.paul.agent
    client.force_login(cast.bruno)

    sent_before = len(outbox("paul@example.fr"))
    send_twice(
        client, f"/sud-ouest/gestion/inscriptions/{paul.pk}/", f"/sud-ouest/gestion/inscriptions/{paul.pk}/valider/"
    )

    assert Agent.objects.get(pk=paul.pk).state == Agent.State.APPROVED
    assert len(outbox("paul@example.fr")) == sent_before + 1


def test_rejecting_twice_rejects_once(client, cast, outbox):
    paul = cast.paul.agent
    client.force_login(cast.bruno)
    page = f"/sud-ouest/gestion/inscriptions/{paul.pk}/"

    sent_before = len(outbox("paul@example.fr"))
    send_twice(client, page, f"{page}refuser/", reason="Inconnu du service.")

    assert Agent.objects.get(pk=paul.pk).state == Agent.State.REJECTED
    assert len(outbox("paul@example.fr")) == sent_before + 1


def test_confirming_a_deletion_twice_erases_once(client, cast):
    alice = cast.alice.agent
    agent_request_deletion(user=cast.alice)
    client.force_login(cast.bruno)

    send_twice(client, "/sud-ouest/gestion/suppressions/", f"/sud-ouest/gestion/suppressions/{alice.pk}/confirmer/")

    assert not Agent.objects.filter(pk=alice.pk).exists()
    assert AuditEvent.objects.filter(action="agent.erased").count() == 1


def test_correcting_the_register_twice_records_once(client, cast):
    alice = cast.alice.agent
    client.force_login(cast.bruno)
    page = f"/sud-ouest/gestion/agents/{alice.pk}/modifier/"

    send_twice(client, page, page, city="Colomiers")

    assert Agent.objects.get(pk=alice.pk).city == "Colomiers"
    assert AuditEvent.objects.filter(action="agent.updated").count() == 1


def test_adding_a_child_in_the_register_twice_adds_one(client, cast):
    alice = cast.alice.agent
    Agent.objects.filter(pk=alice.pk).update(children_count=3)
    client.force_login(cast.bruno)
    page = f"/sud-ouest/gestion/agents/{alice.pk}/famille/"
    with_row = client.post(page, post_form(client.get(page).content.decode(), page).data("ajouter_ligne"))
    data = post_form(with_row.content.decode(), page).data(
        "enregistrer",
        **{"famille-3-kind": "child", "famille-3-last_name": "Martin", "famille-3-first_name": "Zoé"},
        **{"famille-3-birth_date": "2019-04-02"},
    )

    first = client.post(page, data)
    after_first = effects()
    second = client.post(page, data)

    assert first.status_code == second.status_code == 302
    assert effects() == after_first
    assert Relative.objects.filter(agent=alice, first_name="Zoé").count() == 1
    assert ALREADY_SENT in client.get(second.headers["Location"]).content.decode()


# Transfers


def ask(cast) -> Transfer:
    return transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=Organisation.objects.get(slug="nord"),
        reason="move",
        effective_date=timezone.localdate(),  # accepted, it takes effect at once
        message="Mutation à Lille.",
        actor=cast.alice,
    )


def test_asking_for_a_transfer_twice_asks_once(client, cast):
    client.force_login(cast.alice)
    page = "/sud-ouest/transfert/"
    nord = Organisation.objects.get(slug="nord")

    send_twice(
        client, page, page, destination=str(nord.pk), reason="move", effective_date="2027-01-01", message="Lille."
    )

    assert Transfer.objects.filter(agent__user=cast.alice).count() == 1


def test_cancelling_a_transfer_twice_cancels_once(client, cast):
    transfer = ask(cast)
    client.force_login(cast.alice)

    send_twice(client, "/sud-ouest/transfert/", f"/sud-ouest/transfert/{transfer.pk}/annuler/")

    assert AuditEvent.objects.filter(action="transfer.cancelled").count() == 1


def test_accepting_a_transfer_twice_accepts_once(client, cast, outbox):
    transfer = ask(cast)
    client.force_login(cast.chloe)
    page = f"/nord/gestion/transferts/{transfer.pk}/"

    sent_before = len(outbox("alice@example.fr"))
    send_twice(client, page, f"{page}accepter/")

    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.ACCEPTED
    assert len(outbox("alice@example.fr")) == sent_before + 1


def test_refusing_a_transfer_twice_refuses_once(client, cast, outbox):
    transfer = ask(cast)
    client.force_login(cast.chloe)
    page = f"/nord/gestion/transferts/{transfer.pk}/"

    sent_before = len(outbox("alice@example.fr"))
    send_twice(client, page, f"{page}refuser/", reason="Pas de poste à Lille.")

    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.REFUSED
    assert len(outbox("alice@example.fr")) == sent_before + 1


# Roles, on the national site


def test_granting_a_role_twice_grants_once(client, cast, outbox):
    nord = Organisation.objects.get(slug="nord")
    client.force_login(cast.nadia)

    sent_before = len(outbox("karim@example.fr"))
    send_twice(
        client, "/gestion/roles/?q=karim", "/gestion/roles/attribuer/", organisation=str(nord.pk), kind="site_manager"
    )

    assert Role.objects.filter(user=cast.karim).count() == 1
    assert len(outbox("karim@example.fr")) == sent_before + 1


def test_revoking_a_role_twice_revokes_once(client, cast, outbox):
    role = Role.objects.get(user=cast.bruno, kind="site_manager")
    client.force_login(cast.nadia)

    send_twice(client, "/gestion/roles/", f"/gestion/roles/{role.pk}/retirer/")

    assert not Role.objects.filter(pk=role.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoked").count() == 1


# allauth's own forms


def reauthenticate(client: Client) -> None:
    """The password typed again, as allauth asks before a change to the account's security."""
    page = "/comptes/reauthenticate/"
    client.post(page, post_form(client.get(page).content.decode(), page).data(password=PASSWORD))


def test_confirming_the_address_twice_confirms_once(client, cast, outbox):
    client.post(SIGNUP, signup_data())
    link = confirmation_link(outbox, "elodie@example.fr")
    # allauth signs the key anew, with the current second, each time it
    # renders the page: the form is filled from the very page its action was
    # read from, or a tick of the clock between two openings would part them.
    page = client.get(link).content.decode()
    (action,) = [form.action for form in forms_of(page) if form.action.startswith("/comptes/confirm-email/")]

    send_twice(client, link, action, opened=page)

    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.AWAITING_APPROVAL


def test_asking_for_a_password_reset_twice_sends_one_email(client, cast, outbox):
    page = "/comptes/password/reset/"

    sent_before = len(outbox("karim@example.fr"))
    send_twice(client, page, page, email="karim@example.fr")

    assert len(outbox("karim@example.fr")) == sent_before + 1


def test_changing_the_password_twice_changes_it_once(client, cast, outbox):
    client.force_login(cast.karim)
    page = "/comptes/password/change/"
    new = "un autre mot de passe assez long"

    sent_before = len(outbox("karim@example.fr"))
    send_twice(client, page, page, oldpassword=PASSWORD, password1=new, password2=new)

    assert User.objects.get(pk=cast.karim.pk).check_password(new)
    assert len(outbox("karim@example.fr")) == sent_before + 1  # « votre mot de passe a changé »


def test_changing_the_email_twice_sends_one_confirmation(client, cast, outbox):
    client.force_login(cast.karim)
    page = "/comptes/email/"
    reauthenticate(client)

    send_twice(client, page, page, "action_add", email="karim.benali@example.fr")

    assert len(outbox("karim.benali@example.fr")) == 1


# The second factor and the sessions, in « Mon compte »


def test_turning_the_second_factor_off_twice_turns_it_off_once(client, cast):
    with_second_factor(cast.alice)
    client.force_login(cast.alice)
    reauthenticate(client)
    page = "/comptes/2fa/totp/deactivate/"

    send_twice(client, page, page)

    assert not Authenticator.objects.filter(user=cast.alice).exists()
    assert AuditEvent.objects.filter(action="account.second_factor_removed", subject=cast.alice).count() == 1


def test_renewing_the_recovery_codes_twice_renews_them_once(client, cast, django_capture_on_commit_callbacks):
    with_second_factor(cast.alice)
    client.force_login(cast.alice)
    reauthenticate(client)
    page = "/comptes/2fa/recovery-codes/generate/"

    with django_capture_on_commit_callbacks(execute=True):  # allauth tells of new codes on commit
        send_twice(client, page, page)

    # One set of codes, the one shown after the first submission.
    assert Authenticator.objects.filter(user=cast.alice, type="recovery_codes").count() == 1
    assert AuditEvent.objects.filter(action="account.recovery_codes_reset", subject=cast.alice).count() == 1


def test_ending_the_other_sessions_twice_ends_them_once(client, cast):
    phone = Client()
    assert phone.post("/comptes/login/", {"login": cast.alice.email, "password": PASSWORD}).status_code == 302
    client.post("/comptes/login/", {"login": cast.alice.email, "password": PASSWORD})
    page = "/comptes/sessions/"

    send_twice(client, page, page)

    assert phone.get("/comptes/mon-compte/").status_code == 302
    assert client.get("/comptes/mon-compte/").status_code == 200
    assert UserSession.objects.filter(user=cast.alice).count() == 1
