"""One sign-on for the 17 sites, through allauth."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from alphasierra.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def nadia() -> User:
    user = User.objects.create_user("nadia@alpha-sierra.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client, email: str, password: str = PASSWORD, next_url: str = ""):
    url = "/comptes/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password})


def test_the_login_page_is_a_portal_page_with_labelled_fields(client):
    body = client.get("/comptes/login/").content.decode()

    assert 'class="fr-header"' in body
    assert '<label class="fr-label" for="id_login">' in body
    assert '<label class="fr-label" for="id_password">' in body


def test_logging_in_once_opens_every_site(client, nadia):
    response = log_in(client, "nadia@alpha-sierra.org", next_url="/aramis/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/aramis/"
    for path in ["/aramis/", "/sud-ouest/", "/", "/polynesie-francaise/"]:
        assert "nadia@alpha-sierra.org" in client.get(path).content.decode(), path


def test_the_login_is_case_insensitive(client, nadia):
    response = log_in(client, "Nadia@Alpha-Sierra.ORG")

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(nadia.pk)


def test_after_login_only_a_path_of_the_portal_is_followed(client, nadia):
    response = log_in(client, "nadia@alpha-sierra.org", next_url="https://evil.example/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_wrong_password_says_so_without_naming_the_account(client, nadia):
    wrong = log_in(client, "nadia@alpha-sierra.org", password="pas le bon mot de passe")
    unknown = log_in(client, "personne@alpha-sierra.org")

    assert wrong.status_code == unknown.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logging_out_on_one_site_logs_out_everywhere(client, nadia):
    log_in(client, "nadia@alpha-sierra.org")

    response = client.post("/comptes/logout/", {"next": "/nord/"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/nord/"
    assert "_auth_user_id" not in client.session
    for path in ["/nord/", "/aramis/", "/"]:
        body = client.get(path).content.decode()
        assert "Se déconnecter" not in body
        assert 'href="/comptes/login/?next=' in body


def test_logout_needs_a_post(client, nadia):
    log_in(client, "nadia@alpha-sierra.org")

    client.get("/comptes/logout/")

    assert client.session.get("_auth_user_id") == str(nadia.pk)


def test_passwords_are_hashed_with_argon2id_owasp_parameters(settings):
    settings.PASSWORD_HASHERS = ["alphasierra.accounts.hashers.OwaspArgon2PasswordHasher"]
    user = User.objects.create_user("alice@example.fr", PASSWORD)

    hasher = get_hasher("argon2")
    details = hasher.decode(user.password)
    assert user.password.startswith("argon2$argon2id$")
    assert (details["memory_cost"], details["time_cost"], details["parallelism"]) == (19 * 1024, 2, 1)
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("court123", False),
        ("onze-carac.", False),
        ("douze-carac.", True),
        ("password1234", False),  # a common password
        ("x" * 64 + "y", True),  # long passphrases are welcome
        ("plain lowercase words only", True),  # no composition rules
        ("z" * 129, False),
        # The portal's own words, however written (ASVS 6.2.11)
        ("alpha-sierra-demo", False),
        ("Mon mot de passe DGAC", False),
        ("vive météo france 2026", False),
        ("ARAMIS et les mousquetaires", False),
        ("ma classe de neige préférée", True),  # « clas » is too short to be refused
    ],
)
def test_password_rules(password, accepted):
    try:
        validate_password(password)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_a_new_password_on_the_portal_s_words_is_refused_next_to_the_field(client, nadia):
    client.force_login(nadia)
    new = "Alpha Sierra 2026 !"

    response = client.post("/comptes/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new})

    assert response.status_code == 200
    body = response.content.decode()
    field = body[body.index('name="password1"') :]
    assert "Ce mot de passe contient un mot du portail" in field[: field.index('name="password2"')]
    assert 'name="oldpassword"' in body
    nadia.refresh_from_db()
    assert nadia.check_password(PASSWORD)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, nadia, outbox):
    known = client.post("/comptes/password/reset/", {"email": "nadia@alpha-sierra.org"})
    unknown = client.post("/comptes/password/reset/", {"email": "personne@alpha-sierra.org"})

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    [message] = outbox("nadia@alpha-sierra.org")
    assert "http://127.0.0.1:8000/comptes/password/reset/key/" in message.body_text


def test_a_reset_link_sets_a_new_password(client, nadia, outbox):
    client.post("/comptes/password/reset/", {"email": "nadia@alpha-sierra.org"})
    link = re.search(r"http://127\.0\.0\.1:8000(\S+)", outbox("nadia@alpha-sierra.org")[0].body_text)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    new_password = "un tout nouveau mot de passe"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    nadia.refresh_from_db()
    assert nadia.check_password(new_password)


def test_account_pages_render_in_the_portal(client, nadia):
    client.force_login(nadia)

    for path in ["/comptes/password/change/", "/comptes/sessions/", "/comptes/password/reset/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'class="fr-header"' in response.content.decode(), path


def test_logins_and_failed_logins_are_logged_without_the_password(client, nadia, caplog):
    caplog.set_level("INFO", logger="alphasierra.security")

    log_in(client, "nadia@alpha-sierra.org", password="pas le bon mot de passe")
    log_in(client, "personne@example.fr", password="pas le bon mot de passe")
    log_in(client, "NADIA@alpha-sierra.org")

    lines = [record.getMessage() for record in caplog.records if record.name == "alphasierra.security"]
    assert lines == [
        f"login failed account={nadia.pk} ip=127.0.0.1",
        "login failed account=unknown ip=127.0.0.1",
        f"login succeeded account={nadia.pk} ip=127.0.0.1",
    ]
    assert not any("pas le bon" in line or "personne@" in line for line in caplog.text.splitlines())
