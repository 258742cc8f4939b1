import pytest

from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation, Role

pytestmark = pytest.mark.django_db


def test_nadia_finds_an_account_by_name_or_email(client, cast):
    client.force_login(cast.nadia)

    by_name = client.get("/gestion/roles/", {"q": "benali"}).content.decode()
    by_email = client.get("/gestion/roles/", {"q": "karim@"}).content.decode()

    assert "karim@example.fr" in by_name
    assert "karim@example.fr" in by_email


def test_nadia_gives_karim_a_role_he_is_told_and_it_is_in_the_journal(client, cast, outbox):
    client.force_login(cast.nadia)
    nord = Organisation.objects.get(slug="nord")

    response = client.post(
        "/gestion/roles/attribuer/", {"user": cast.karim.pk, "organisation": nord.pk, "kind": "social_correspondent"}
    )

    assert response.status_code == 302
    assert Role.objects.filter(user=cast.karim, organisation=nord, kind="social_correspondent").exists()
    assert "Un rôle vous est attribué" in outbox("karim@example.fr")[-1].subject
    journal = client.get("/gestion/journal/", {"action": "role.granted"}).content.decode()
    assert "karim@example.fr" in journal
    assert AuditEvent.objects.filter(action="role.granted", actor=cast.nadia, subject=cast.karim).exists()


def test_a_role_must_fit_the_kind_of_organisation(client, cast):
    client.force_login(cast.nadia)
    aramis = Organisation.objects.get(slug="aramis")

    response = client.post(
        "/gestion/roles/attribuer/", {"user": cast.karim.pk, "organisation": aramis.pk, "kind": "site_manager"}
    )

    assert response.status_code == 400
    assert "ne s&#x27;exerce que" in response.content.decode()
    assert not Role.objects.filter(user=cast.karim).exists()


def test_giving_a_role_twice_changes_nothing(client, cast):
    client.force_login(cast.nadia)
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    data = {"user": cast.bruno.pk, "organisation": sud_ouest.pk, "kind": "site_manager"}

    response = client.post("/gestion/roles/attribuer/", data, follow=True)

    assert "déjà ce rôle" in response.content.decode()
    assert Role.objects.filter(user=cast.bruno, kind="site_manager").count() == 1


def test_removing_a_role_takes_away_the_access(client, cast, outbox):
    role = Role.objects.get(user=cast.bruno, kind="site_manager")
    client.force_login(cast.nadia)

    client.post(f"/gestion/roles/{role.pk}/retirer/")

    assert not Role.objects.filter(pk=role.pk).exists()
    assert "retiré" in outbox("bruno@alpha-sierra.org")[-1].subject
    assert AuditEvent.objects.filter(action="role.revoked", subject=cast.bruno).exists()
    client.force_login(cast.bruno)
    assert client.get("/sud-ouest/gestion/agents/").status_code == 403


def test_role_changes_need_a_post(client, cast):
    client.force_login(cast.nadia)

    assert client.get("/gestion/roles/attribuer/").status_code == 405


def erase_karim() -> None:
    from alphasierra.accounts.models import User
    from alphasierra.agents.services.erasure import agent_erase, agent_request_deletion

    karim = User.objects.get(email="karim@example.fr")
    agent_request_deletion(user=karim)
    agent_erase(
        agent_id=karim.agent.pk, clas=karim.agent.clas, manager=User.objects.get(email="chloe@alpha-sierra.org")
    )


def test_removing_a_role_removed_meanwhile_says_so_and_changes_nothing_else(client, cast, outbox):
    from alphasierra.organisations.services import role_revoke
    from alphasierra.testing import meanwhile, service_start_after_reading

    role = Role.objects.get(user=cast.bruno, kind="site_manager")
    client.force_login(cast.nadia)

    with meanwhile(
        lambda: role_revoke(role_id=role.pk, actor=cast.nadia), before=service_start_after_reading("organisations_role")
    ):
        response = client.post(f"/gestion/roles/{role.pk}/retirer/", follow=True)

    assert response.status_code == 200
    assert "Ce rôle avait déjà été retiré" in response.content.decode()
    # One revocation, one e-mail, one event: the stale one added nothing.
    assert AuditEvent.objects.filter(action="role.revoked", subject=cast.bruno).count() == 1
    assert len([m for m in outbox("bruno@alpha-sierra.org") if "retiré" in m.subject]) == 1


def test_removing_a_role_already_removed_says_so(client, cast):
    role = Role.objects.get(user=cast.bruno, kind="site_manager")
    client.force_login(cast.nadia)
    client.post(f"/gestion/roles/{role.pk}/retirer/")

    response = client.post(f"/gestion/roles/{role.pk}/retirer/", follow=True)

    assert "Ce rôle avait déjà été retiré" in response.content.decode()
    assert AuditEvent.objects.filter(action="role.revoked", subject=cast.bruno).count() == 1


def test_giving_a_role_to_an_account_erased_meanwhile(client, cast, outbox):
    from alphasierra.testing import meanwhile, service_start_after_reading

    nord = Organisation.objects.get(slug="nord")
    client.force_login(cast.nadia)
    karim = cast.karim.pk

    with meanwhile(erase_karim, before=service_start_after_reading("organisations_organisation")):
        response = client.post(
            "/gestion/roles/attribuer/", {"user": karim, "organisation": nord.pk, "kind": "social_correspondent"}
        )

    assert response.status_code == 302
    assert not Role.objects.filter(user_id=karim).exists()
    assert not AuditEvent.objects.filter(action="role.granted").exists()
    assert outbox("karim@example.fr") == []
    page = client.get(response["Location"]).content.decode()
    assert "Ce compte n&#x27;existe plus ou a été désactivé entre-temps" in page


def test_giving_a_role_to_an_account_erased_before_says_so_in_french(client, cast):
    nord = Organisation.objects.get(slug="nord")
    karim = cast.karim.pk
    erase_karim()
    client.force_login(cast.nadia)

    response = client.post(
        "/gestion/roles/attribuer/", {"user": karim, "organisation": nord.pk, "kind": "social_correspondent"}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Compte : Ce compte n&#x27;existe plus ou a été désactivé : aucun rôle n&#x27;a été attribué." in body
    assert not Role.objects.filter(user_id=karim).exists()
