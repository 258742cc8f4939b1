"""Staff reach personal data only from a session that passed the second factor:
the back-office and the Django admin, whatever login page was used."""

import re

import pytest
from django.test import Client
from django.utils.http import urlencode

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


# Setting the second factor up


def logged_in_without_second_factor(user) -> Client:
    """Staff who never set up a second factor, logged in with the password,
    then asked it again by allauth before adding a factor."""
    user.authenticator_set.all().delete()
    client = Client()
    assert client.post("/comptes/login/", {"login": user.email, "password": DEMO_PASSWORD}).status_code == 302
    assert client.post("/comptes/reauthenticate/", {"password": DEMO_PASSWORD}).status_code == 302
    return client


def secret_shown(body: str) -> str:
    found = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', body)
    assert found is not None
    return found.group(1)


def test_the_secret_stays_the_same_until_it_is_activated(cast):
    client = logged_in_without_second_factor(cast.nadia)

    first = secret_shown(client.get("/comptes/2fa/totp/activate/").content.decode())
    again = secret_shown(client.get("/comptes/2fa/totp/activate/").content.decode())
    wrong = client.post("/comptes/2fa/totp/activate/", {"code": "000000"}).content.decode()

    assert again == first
    assert secret_shown(wrong) == first
    response = client.post("/comptes/2fa/totp/activate/", {"code": totp_code(first)})
    assert response.status_code == 302
    assert cast.nadia.authenticator_set.get(type="totp").wrap().instance.data["secret"] != ""
    # Another set-up, later, gets a new secret.
    cast.nadia.authenticator_set.all().delete()
    assert secret_shown(client.get("/comptes/2fa/totp/activate/").content.decode()) != first


def test_the_qr_code_is_described_and_the_secret_given_as_text(cast):
    client = logged_in_without_second_factor(cast.nadia)

    body = client.get("/comptes/2fa/totp/activate/").content.decode()

    secret = secret_shown(body)
    image = re.search(r"<img[^>]*data:image/svg\+xml[^>]*>", body)
    assert image is not None
    assert secret not in image.group(0)
    assert 'alt="QR code à scanner avec votre application d\'authentification"' in image.group(0)
    assert '<label class="fr-label" for="authenticator_secret">' in body


# Committed for real: activating records, on commit, that the session passed
# the second factor.
@pytest.mark.django_db(transaction=True)
def test_after_the_set_up_the_page_asked_for_is_one_click_away(cast):
    client = logged_in_without_second_factor(cast.bruno)
    asked = "/sud-ouest/gestion/inscriptions/"

    setup = client.get(asked).headers["Location"]
    assert setup == "/comptes/2fa/totp/activate/?next=%2Fsud-ouest%2Fgestion%2Finscriptions%2F"
    secret = secret_shown(client.get(setup).content.decode())
    activated = client.post(setup, {"code": totp_code(secret)})

    assert activated.status_code == 302
    codes = activated.headers["Location"]
    assert codes == "/comptes/2fa/recovery-codes/?next=%2Fsud-ouest%2Fgestion%2Finscriptions%2F"
    body = client.get(codes).content.decode()
    assert re.search(rf'<a class="fr-btn" href="{asked}">Continuer vers la page demandée</a>', body)
    assert client.get(asked).status_code == 200


@pytest.mark.parametrize("next_url", ["https://ailleurs.example/", "//ailleurs.example/", "javascript:alert(1)"])
def test_a_next_page_off_the_portal_is_not_followed(cast, next_url):
    client = logged_in_without_second_factor(cast.nadia)
    setup = f"/comptes/2fa/totp/activate/?{urlencode({'next': next_url})}"
    secret = secret_shown(client.get(setup).content.decode())

    activated = client.post(setup, {"code": totp_code(secret)})

    assert activated.headers["Location"] == "/comptes/2fa/recovery-codes/"
    body = client.get("/comptes/2fa/recovery-codes/?" + urlencode({"next": next_url})).content.decode()
    assert "Continuer vers" not in body
    assert f'href="{next_url}"' not in body


def test_the_login_step_offers_no_security_key_to_someone_without_one(cast):
    client = Client()
    client.post("/comptes/login/", {"login": cast.nadia.email, "password": DEMO_PASSWORD})

    body = client.get("/comptes/2fa/authenticate/").content.decode()

    assert 'name="code"' in body
    assert "mfa_webauthn_authenticate" not in body
    assert "clé de sécurité" not in body.lower()
    assert "security key" not in body.lower()
    # The way out (log out) is still there.
    assert 'form="logout-from-stage"' in body
