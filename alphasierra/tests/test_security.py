"""Security headers on each kind of page, cookies, sessions and the login's defences."""

import re

import pytest

from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "clas home": "/sud-ouest/",
    "association home": "/aramis/",
    "sign-up": "/sud-ouest/inscription/",
    "account": "/comptes/mon-compte/",
    "register": "/sud-ouest/gestion/agents/",
    "not found": "/inconnu/",
}


@pytest.fixture
def production(settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_each_page_type_sends_the_security_headers(client: Client, cast, production, path):
    client.force_login(cast.bruno)

    response = client.get(path, secure=True)

    csp = response.headers["Content-Security-Policy"]
    # Scripts from the portal's own files only: no nonce, no inline script.
    assert "script-src 'self';" in csp
    assert "nonce" not in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_login_page_sends_them_too(client: Client, production):
    response = client.get("/comptes/login/", secure=True)

    assert "script-src 'self';" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/sud-ouest/", "/sud-ouest/inscription/", "/comptes/login/"])
def test_every_script_is_a_file_of_the_portal(client: Client, path):
    body = client.get(path).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", body)
    # DSFR's module and its fallback for old browsers: 'self' lets them run,
    # and nothing inline would (no nonce, no 'unsafe-inline').
    assert len(scripts) == 2
    assert all(re.search(r'src="/static/[^"]+\.js"', script) for script in scripts), scripts
    assert "nonce" not in body


def test_cookies_are_secure_httponly_and_lax(client: Client, cast, production):
    response = client.post(
        "/comptes/login/", {"login": "alice@example.fr", "password": "alpha-sierra-demo"}, secure=True
    )

    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    csrf = Client().get("/comptes/login/", secure=True).cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"


def test_a_login_gives_a_new_session_id(client: Client, cast):
    client.get("/comptes/login/")
    client.session["before"] = True  # an anonymous session exists
    session = client.session
    session.save()
    before = session.session_key

    client.post("/comptes/login/", {"login": "alice@example.fr", "password": "alpha-sierra-demo"})

    assert client.session.session_key != before


def test_failed_logins_are_throttled_with_a_french_message(client: Client, cast):
    for _ in range(5):
        client.post("/comptes/login/", {"login": "alice@example.fr", "password": "pas le bon"})

    response = client.post("/comptes/login/", {"login": "alice@example.fr", "password": "alpha-sierra-demo"})

    body = response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in body


def test_a_password_reset_ends_every_session(cast, outbox):
    import re

    elsewhere = Client()
    elsewhere.post("/comptes/login/", {"login": "alice@example.fr", "password": "alpha-sierra-demo"})
    assert "Se déconnecter" in elsewhere.get("/sud-ouest/").content.decode()
    client = Client()
    client.post("/comptes/password/reset/", {"email": "alice@example.fr"})
    link = re.search(r"http://127\.0\.0\.1:8000(\S+)", outbox("alice@example.fr")[-1].body_text)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"password1": "une toute nouvelle phrase", "password2": "une toute nouvelle phrase"}
    )

    assert "Se déconnecter" not in elsewhere.get("/sud-ouest/").content.decode()


def test_login_takes_as_long_for_an_unknown_address_as_for_a_wrong_password(settings):
    import statistics
    import time

    from alphasierra.accounts.models import User

    # The real hasher: the comparison is only meaningful with its cost.
    settings.PASSWORD_HASHERS = ["alphasierra.accounts.hashers.OwaspArgon2PasswordHasher"]
    User.objects.create_user("connu@example.fr", "une phrase de passe assez longue")

    def timed(email: str) -> float:
        started = time.perf_counter()
        response = Client().post("/comptes/login/", {"login": email, "password": "pas le bon mot de passe"})
        assert response.status_code == 200
        return time.perf_counter() - started

    # Four of each: within the rate limits (5 failures per account, 10 per address).
    known = statistics.median(timed("connu@example.fr") for _ in range(4))
    unknown = statistics.median(timed(f"inconnu{n}@example.fr") for n in range(4))

    # Django hashes a dummy password for an unknown account: same order of time.
    assert 0.5 < unknown / known < 2.0, (known, unknown)


def test_failed_logins_are_throttled_per_address_too(cast):
    client = Client()
    for n in range(10):
        client.post("/comptes/login/", {"login": f"personne{n}@example.fr", "password": "pas le bon"})

    response = client.post("/comptes/login/", {"login": "alice@example.fr", "password": "alpha-sierra-demo"})

    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_erased_account_has_no_session_left(cast):
    alice = Client()
    alice.post("/comptes/login/", {"login": "alice@example.fr", "password": "alpha-sierra-demo"})
    alice.post("/comptes/mon-compte/supprimer/", {"confirmer": "1"})
    bruno = Client()
    bruno.force_login(cast.bruno)

    bruno.post(f"/sud-ouest/gestion/suppressions/{cast.alice.agent.pk}/confirmer/")

    assert "Se déconnecter" not in alice.get("/sud-ouest/").content.decode()
    assert alice.get("/comptes/mon-compte/").status_code == 302
