"""« Mon compte »: the agent's own data, family, security and privacy rights."""

import io
import json
import re
import zipfile
from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.test import Client

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.audit.models import AuditEvent
from alphasierra.audit.services import audit_record
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation
from alphasierra.transfers.services import transfer_accept, transfer_request

pytestmark = pytest.mark.django_db
PASSWORD = "alpha-sierra-demo"


def edit_data(agent: Agent, **overrides: str) -> dict[str, str]:
    data = {
        "civility": agent.civility,
        "last_name": agent.last_name,
        "first_name": agent.first_name,
        "birth_date": agent.birth_date.isoformat() if agent.birth_date else "",
        "employer": agent.employer,
        "status": agent.status,
        "service": agent.service,
        "service_address": agent.service_address,
        "work_phone": agent.work_phone,
        "personal_phone": agent.personal_phone,
        "address": agent.address,
        "postal_code": agent.postal_code,
        "city": agent.city,
        "family_situation": agent.family_situation,
        "children_count": "" if agent.children_count is None else str(agent.children_count),
    }
    data.update(overrides)
    return data


def log_in(client: Client, email: str, password: str = PASSWORD) -> None:
    response = client.post("/comptes/login/", {"login": email, "password": password})
    assert response.status_code == 302


def test_alice_updates_her_data_and_retires(client, cast):
    client.force_login(cast.alice)
    alice = cast.alice.agent

    response = client.post("/comptes/mon-compte/modifier/", edit_data(alice, status="retired", city="Blagnac"))

    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.status, alice.city) == ("retired", "Blagnac")
    assert "Dernier service" in client.get("/comptes/mon-compte/").content.decode()
    event = AuditEvent.objects.get(action="agent.updated")
    assert event.actor == cast.alice
    assert event.data["changes"]["status"] == {"before": "active", "after": "retired"}


def test_her_edit_is_validated_like_the_sign_up(client, cast):
    client.force_login(cast.alice)

    body = client.post(
        "/comptes/mon-compte/modifier/", edit_data(cast.alice.agent, postal_code="99999")
    ).content.decode()

    assert 'id="id_postal_code-desc-error"' in body
    assert 'value="Toulouse"' in body


@pytest.mark.parametrize("who", ["alice", "bruno"])
def test_the_edit_errors_are_summed_up_at_the_top_with_links(client, cast, who):
    alice = cast.alice.agent
    client.force_login(getattr(cast, who))
    url = "/comptes/mon-compte/modifier/" if who == "alice" else f"/sud-ouest/gestion/agents/{alice.pk}/modifier/"
    assert 'id="erreurs"' not in client.get(url).content.decode()

    body = client.post(url, edit_data(alice, postal_code="99999", city="")).content.decode()

    summary = re.search(r'id="erreurs" autofocus>(.*?)</div>', body, re.S)
    assert summary is not None
    assert re.findall(r'<a href="([^"]+)">', summary.group(1)) == ["#id_postal_code", "#id_city"]


def test_an_edit_made_while_a_transfer_is_accepted_is_not_lost(client, cast):
    client.force_login(cast.alice)
    alice = cast.alice.agent
    form_as_opened = edit_data(alice, city="Lille")
    nord = Organisation.objects.get(slug="nord")
    transfer = transfer_request(
        agent_id=alice.pk,
        destination=nord,
        reason="move",
        effective_date=alice.created_at.date(),
        message="",
        actor=cast.alice,
    )
    transfer_accept(transfer_id=transfer.pk, destination=nord, actor=cast.chloe)

    client.post("/comptes/mon-compte/modifier/", form_as_opened)

    alice.refresh_from_db()
    assert (alice.clas, alice.city) == (nord, "Lille")


def test_alice_adds_and_removes_family_members(client, cast):
    client.force_login(cast.alice)
    alice = cast.alice.agent
    rows = list(alice.relatives.order_by("kind", "birth_date", "pk"))
    data = {"famille-TOTAL_FORMS": str(len(rows) + 1), "famille-INITIAL_FORMS": str(len(rows))}
    for n, relative in enumerate(rows):
        data.update(
            {
                f"famille-{n}-relative_id": str(relative.pk),
                f"famille-{n}-kind": relative.kind,
                f"famille-{n}-last_name": relative.last_name,
                f"famille-{n}-first_name": relative.first_name,
            }
        )
    data[f"famille-{len(rows) - 1}-DELETE"] = "on"  # the spouse
    Agent.objects.filter(pk=alice.pk).update(children_count=3)
    data.update(
        {
            f"famille-{len(rows)}-kind": "child",
            f"famille-{len(rows)}-last_name": "Martin",
            f"famille-{len(rows)}-first_name": "Théo",
        }
    )

    response = client.post("/comptes/mon-compte/famille/", data)

    assert response.status_code == 302
    assert sorted(alice.relatives.values_list("first_name", flat=True)) == ["Hugo", "Léa", "Théo"]


def test_another_agents_family_member_is_a_404(client, cast):
    stranger = cast.karim.agent.relatives.create(kind="child", last_name="Benali", first_name="Sami")
    client.force_login(cast.alice)
    data = {
        "famille-TOTAL_FORMS": "1",
        "famille-INITIAL_FORMS": "0",
        "famille-0-relative_id": str(stranger.pk),
        "famille-0-kind": "child",
        "famille-0-last_name": "X",
        "famille-0-first_name": "Y",
    }

    assert client.post("/comptes/mon-compte/famille/", data).status_code == 404
    assert Relative.objects.get(pk=stranger.pk).first_name == "Sami"


def test_changing_the_email_is_confirmed_first_and_the_old_address_is_warned(client, cast, outbox):
    log_in(client, "alice@example.fr")
    client.post("/comptes/reauthenticate/", {"password": PASSWORD})

    response = client.post("/comptes/email/", {"action_add": "", "email": "alice.martin@example.fr"})

    assert response.status_code == 302
    assert User.objects.get(pk=cast.alice.pk).email == "alice@example.fr"  # not before it is confirmed
    link = re.search(
        r"http://127\.0\.0\.1:8000(/comptes/confirm-email/\S+/)", outbox("alice.martin@example.fr")[-1].body_text
    )
    assert link is not None
    client.post(link.group(1))
    user = User.objects.get(pk=cast.alice.pk)
    assert user.email == "alice.martin@example.fr"
    assert "alice martin example fr" in Agent.objects.get(user=user).search_text
    assert any("e-mail" in m.subject.lower() for m in outbox("alice@example.fr")[-2:])


def test_changing_the_email_asks_for_the_password_again(client, cast):
    log_in(client, "alice@example.fr")

    response = client.post("/comptes/email/", {"action_add": "", "email": "alice.martin@example.fr"})

    assert response.headers["Location"].startswith("/comptes/reauthenticate/")
    assert not EmailAddress.objects.filter(email="alice.martin@example.fr").exists()


def test_a_password_change_can_end_the_other_sessions(cast, outbox):
    phone, laptop = Client(), Client()
    log_in(phone, "alice@example.fr")
    log_in(laptop, "alice@example.fr")
    assert UserSession.objects.filter(user=cast.alice).count() == 2

    response = laptop.post(
        "/comptes/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "un nouveau mot de passe solide",
            "password2": "un nouveau mot de passe solide",
            "end_other_sessions": "on",
        },
    )

    assert response.status_code == 302
    assert "Se déconnecter" in laptop.get("/sud-ouest/").content.decode()
    assert "Se déconnecter" not in phone.get("/sud-ouest/").content.decode()
    assert any("mot de passe" in m.subject.lower() for m in outbox("alice@example.fr"))


def test_the_sessions_page_lists_devices(client, cast):
    log_in(client, "alice@example.fr")

    body = client.get("/comptes/sessions/").content.decode()

    assert "127.0.0.1" in body


def test_the_history_lists_sign_up_approval_and_changes(client, cast):
    client.force_login(cast.alice)

    body = client.get("/comptes/mon-compte/historique/").content.decode()

    assert "Inscription sur le site du CLAS" in body
    assert "Inscription validée" in body


def test_the_data_download_holds_every_field_of_agent_and_relatives(client, cast):
    client.force_login(cast.alice)

    response = client.get("/comptes/mon-compte/mes-donnees.zip")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "activites.csv",
        "agent.csv",
        "associations.csv",
        "famille.csv",
        "historique.csv",
        "mes-donnees.json",
        "transferts.csv",
    ]
    data = json.loads(archive.read("mes-donnees.json"))
    internal = {"confirmation_code_hash", "search_text"}
    assert {f.name for f in Agent._meta.concrete_fields} - internal <= set(data["agent"])
    assert len(data["famille"]) == 3
    assert {f.name for f in Relative._meta.concrete_fields} <= set(data["famille"][0])
    assert data["agent"]["last_name"] == "Martin"
    assert data["compte"]["email"] == "alice@example.fr"
    assert "Julien" in archive.read("famille.csv").decode("utf-8-sig")
    assert AuditEvent.objects.filter(action="agent.data_downloaded", subject=cast.alice).exists()


def test_account_deletion_is_confirmed_by_a_site_manager_then_erased(client, cast, outbox):
    client.force_login(cast.alice)
    client.post("/comptes/mon-compte/supprimer/", {"confirmer": "1"})
    assert "Suppression de compte à confirmer" in outbox("bruno@alpha-sierra.org")[-1].subject
    alice = cast.alice.agent
    client.force_login(cast.bruno)
    assert "Martin Alice" in client.get("/sud-ouest/gestion/suppressions/").content.decode()

    client.post(f"/sud-ouest/gestion/suppressions/{alice.pk}/confirmer/")

    assert not User.objects.filter(email="alice@example.fr").exists()
    assert not Agent.objects.filter(pk=alice.pk).exists()
    assert not Relative.objects.filter(agent_id=alice.pk).exists()
    assert not OutboxMessage.objects.filter(to_email="alice@example.fr").exists()
    assert AuditEvent.objects.filter(action="agent.registered", subject__isnull=True, data={}).exists()
    assert AuditEvent.objects.filter(action="agent.erased", actor=cast.bruno).exists()


def test_an_agent_may_withdraw_the_deletion_request(client, cast):
    client.force_login(cast.alice)
    client.post("/comptes/mon-compte/supprimer/", {"confirmer": "1"})
    client.post("/comptes/mon-compte/supprimer/", {"annuler": "1"})
    alice = cast.alice.agent
    client.force_login(cast.bruno)

    client.post(f"/sud-ouest/gestion/suppressions/{alice.pk}/confirmer/")

    assert Agent.objects.filter(pk=alice.pk).exists()


def test_the_data_download_holds_the_association_links_and_who_did_each_thing(client, cast):
    from alphasierra.associations.services import association_visit, association_withdraw

    aramis = Organisation.objects.get(slug="aramis")
    association_visit(user=cast.alice, association=aramis)
    association_withdraw(user=cast.alice, association=aramis)
    client.force_login(cast.bruno)
    b"".join(client.get("/sud-ouest/gestion/agents/export.csv").streaming_content)
    client.force_login(cast.alice)

    response = client.get("/comptes/mon-compte/mes-donnees.zip")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("mes-donnees.json"))
    [link] = data["associations"]
    assert link["association"] == aramis.name
    assert link["state"] == "withdrawn"
    assert all(link[key] for key in ("first_visit_at", "since", "withdrawn_at"))
    assert "withdrawn" in archive.read("associations.csv").decode("utf-8-sig")
    history = {(event["action"], event["by"]) for event in data["historique"]}
    assert ("association.withdrawn", "vous") in history
    assert ("agent.approved", "Bruno Lambert") in history
    assert ("register.exported", "Bruno Lambert") in history
    assert [a["email"] for a in data["adresses_email"]] == ["alice@example.fr"]
    assert data["emails_envoyes"]
    assert "secret" not in json.dumps(data["double_authentification"])


# Times overseas: in the zone of the agent's own CLAS, named unless Paris time.
KNOWN_MOMENT = datetime(2026, 11, 28, 6, 5, tzinfo=UTC)  # 17:05 in Nouméa, 07:05 in Paris


def _seen_by_chloe_at_a_known_moment(agent_user: User) -> None:
    audit_record(
        action="agent.viewed",
        actor=User.objects.get(email="chloe@alpha-sierra.org"),
        organisation=Agent.objects.get(user=agent_user).clas,
        subject=agent_user,
    )
    AuditEvent.objects.filter(subject=agent_user, action="agent.viewed").update(created_at=KNOWN_MOMENT)


def test_the_history_of_an_agent_of_nouvelle_caledonie_is_in_noumea_time(client, cast):
    Agent.objects.filter(user=cast.karim).update(clas=Organisation.objects.get(slug="nouvelle-caledonie"))
    _seen_by_chloe_at_a_known_moment(cast.karim)
    client.force_login(cast.karim)

    history = client.get("/comptes/mon-compte/historique/").content.decode()
    account = client.get("/comptes/mon-compte/").content.decode()

    assert "28/11/2026 17:05 (heure de Nouméa)" in history
    assert "28/11/2026 17:05 (heure de Nouméa)" in account.split('id="consultations"')[1]
    assert "07:05" not in history


def test_the_history_of_a_paris_agent_names_no_zone(client, cast):
    _seen_by_chloe_at_a_known_moment(cast.alice)
    client.force_login(cast.alice)

    history = client.get("/comptes/mon-compte/historique/").content.decode()

    assert "28/11/2026 07:05" in history
    assert "heure de" not in history


# Each table that points to an account or an agent, and where the data download shows its rows.
DOWNLOADED = {
    "agents.Agent": "agent",
    "agents.Relative": "famille",
    "transfers.Transfer": "transferts",
    "associations.AssociationLink": "associations",
    "organisations.Role": "roles",
    "account.EmailAddress": "adresses_email",
    "mfa.Authenticator": "double_authentification",
    "usersessions.UserSession": "sessions",
    "audit.AuditEvent": "historique",
    "activities.Registration": "activites",
    "activities.Participant": "activites",
    "activities.CalendarFeed": "calendrier_personnel",
}
NOT_ABOUT_THE_PERSON = {
    # The Django admin's own log: the changes a superuser made there (the admin
    # writes nothing about a person, see accounts/tests/test_admin.py).
    "admin.LogEntry",
    # An activity names the manager who created it: the organisation's record of
    # its own work (who did it is in the journal, which is downloaded).
    "activities.Activity",
    # Likewise the versions of a site's content and its images name the manager
    # who saved, published or uploaded them.
    "content.Revision",
    "content.Image",
}


def test_the_data_download_has_a_place_for_every_table_that_points_to_the_person(client, cast):
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model in (User, Agent)
    }
    client.force_login(cast.bruno)

    archive = zipfile.ZipFile(io.BytesIO(client.get("/comptes/mon-compte/mes-donnees.zip").content))
    data = json.loads(archive.read("mes-donnees.json"))

    # A new table about people (activities' registrations…) goes into the download.
    assert pointing == set(DOWNLOADED) | NOT_ABOUT_THE_PERSON
    assert set(DOWNLOADED.values()) <= set(data)
    assert data["roles"] == [
        {"role": "site_manager", "organisation": "CLAS Sud-Ouest", "since": data["roles"][0]["since"]}
    ]
