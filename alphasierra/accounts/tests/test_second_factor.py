"""Staff reach personal data only from a session that passed the second factor:
the back-office and the Django admin, whatever login page was used."""

import pytest
from django.test import Client

from alphasierra.audit.models import AuditEvent
from alphasierra.demo import DEMO_PASSWORD
from alphasierra.testing import totp_code, with_second_factor

pytestmark = pytest.mark.django_db

BACKOFFICE = ["/gestion/", "/gestion/roles/", "/gestion/journal/"]


def password_only(user) -> Client:
    """A session opened with the password alone (django's own client does not
    write allauth's authentication records)."""
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_login_form_no_longer_logs_in_with_a_password(cast):
    client = Client()

    response = client.post("/admin/login/?next=/admin/", {"username": cast.nadia.email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/comptes/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    for url in BACKOFFICE:
        assert client.get(url).headers["Location"].startswith("/comptes/login/"), url


def test_the_admin_sends_to_the_portal_login(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/comptes/login/?next=%2Fadmin%2F"


def test_a_password_only_session_opens_neither_the_admin_nor_the_back_office(cast):
    client = password_only(cast.nadia)
    events = AuditEvent.objects.count()

    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert client.get(admin.headers["Location"]).headers["Location"] == "/comptes/2fa/reauthenticate/?next=%2Fadmin%2F"
    assert client.get("/admin/accounts/user/").status_code == 302
    for url in BACKOFFICE:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/comptes/2fa/reauthenticate/?next="), url
    alice = cast.alice.agent.pk
    assert client.get(f"/sud-ouest/gestion/agents/{alice}/").status_code == 302
    assert AuditEvent.objects.count() == events


def test_a_password_only_session_cannot_post_to_the_back_office(cast):
    client = password_only(cast.bruno)
    paul = cast.paul.agent
    state = paul.state

    response = client.post(f"/sud-ouest/gestion/inscriptions/{paul.pk}/valider/")

    assert response.status_code == 302
    paul.refresh_from_db()
    assert paul.state == state


def test_the_second_factor_asked_again_opens_the_back_office(cast):
    cast.nadia.authenticator_set.all().delete()
    secret = with_second_factor(cast.nadia)
    client = password_only(cast.nadia)

    response = client.post("/comptes/2fa/reauthenticate/?next=/gestion/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.headers["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_keeps_the_back_office_closed(cast):
    client = password_only(cast.nadia)

    response = client.post("/comptes/2fa/reauthenticate/?next=/gestion/", {"code": "000000"})

    assert response.status_code == 200
    assert client.get("/gestion/").status_code == 302


def test_a_full_login_with_the_totp_code_opens_the_admin_and_the_back_office(cast):
    cast.nadia.authenticator_set.all().delete()
    secret = with_second_factor(cast.nadia)
    client = Client()

    first = client.post("/comptes/login/?next=/admin/", {"login": cast.nadia.email, "password": DEMO_PASSWORD})
    assert first.headers["Location"] == "/comptes/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    second = client.post("/comptes/2fa/authenticate/", {"code": totp_code(secret)})

    assert second.status_code == 302
    assert second.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/").headers["Location"] == "/admin/"
    for url in BACKOFFICE:
        assert client.get(url).status_code == 200, url


def test_staff_without_a_second_factor_are_sent_to_set_one_up_from_the_admin(cast):
    cast.nadia.authenticator_set.all().delete()
    client = password_only(cast.nadia)

    response = client.get("/admin/login/?next=/admin/")

    assert response.headers["Location"] == "/comptes/2fa/totp/activate/?next=%2Fadmin%2F"


def test_an_agent_is_refused_the_admin(cast):
    client = password_only(cast.alice)

    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_test_client_logs_staff_in_with_their_second_factor(client, cast):
    client.force_login(cast.nadia)

    assert client.get("/admin/").status_code == 200


def test_staff_who_turn_their_second_factor_off_must_set_one_up_again(client, cast):
    client.force_login(cast.nadia)
    assert client.get("/gestion/").status_code == 200

    cast.nadia.authenticator_set.all().delete()

    assert client.get("/gestion/").headers["Location"] == "/comptes/2fa/totp/activate/?next=%2Fgestion%2F"
    assert client.get("/admin/").status_code == 302
