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
