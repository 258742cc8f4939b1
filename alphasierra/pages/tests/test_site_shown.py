"""The shared pages (/comptes/…) keep the name of the site the person came from."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from alphasierra.agents.services.signup import agent_register
from alphasierra.agents.tests.test_views import confirmation_code
from alphasierra.demo import DEMO_PASSWORD, _details
from alphasierra.organisations.middleware import SITE_COOKIE_NAME
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def header_site(client, path: str) -> str:
    body = client.get(path).content.decode()
    match = re.search(r'<p class="fr-header__service-title">([^<]*)</p>', body)
    assert match is not None, "no site name in the header"
    return match.group(1)


def zoe_signs_up_in_ocean_indien() -> None:
    """Zoé signs up on the CLAS Océan Indien, then opens her e-mail elsewhere."""
    agent_register(
        clas=Organisation.objects.get(slug="ocean-indien"),
        email="zoe@example.fr",
        password=DEMO_PASSWORD,
        details=_details("Roux", "Zoé"),
        request=None,
    )


def confirmation_key(email: str) -> str:
    return EmailConfirmationHMAC(EmailAddress.objects.get(email=email)).key


def test_the_login_page_keeps_the_clas_the_visitor_browsed(client):
    client.get("/sud-ouest/")

    assert header_site(client, "/comptes/login/") == "CLAS Sud-Ouest"
    assert header_site(client, "/comptes/password/reset/") == "CLAS Sud-Ouest"


def test_the_login_page_names_the_site_it_leads_back_to(client):
    assert header_site(client, "/comptes/login/?next=/nord/gestion/") == "CLAS Nord"
    assert header_site(client, "/comptes/login/?next=/aramis/") == "ARAMIS"


def test_an_agent_s_own_clas_is_shown_on_mon_compte(client, cast):
    client.force_login(cast.alice)

    assert header_site(client, "/comptes/mon-compte/") == "CLAS Sud-Ouest"


def test_the_site_last_browsed_comes_before_one_s_own_clas(client, cast):
    client.force_login(cast.karim)
    assert header_site(client, "/comptes/mon-compte/") == "CLAS Nord"

    client.get("/aramis/")

    assert header_site(client, "/comptes/mon-compte/historique/") == "ARAMIS"


def test_the_confirmation_link_names_the_clas_of_the_address_even_in_another_browser(client):
    zoe_signs_up_in_ocean_indien()
    key = confirmation_key("zoe@example.fr")

    assert header_site(client, f"/comptes/confirm-email/{key}/") == "CLAS Océan Indien"
    assert header_site(client, "/comptes/confirm-email/not-a-key/") == "Alpha Sierra"


def test_the_page_after_the_confirmation_names_the_clas_even_in_another_browser(client):
    zoe_signs_up_in_ocean_indien()
    key = confirmation_key("zoe@example.fr")

    confirmed = client.post(f"/comptes/confirm-email/{key}/")

    assert client.cookies[SITE_COOKIE_NAME].value == "ocean-indien"
    assert header_site(client, confirmed.headers["Location"]) == "CLAS Océan Indien"


def test_the_page_after_the_short_code_names_the_clas_too(client, outbox):
    zoe_signs_up_in_ocean_indien()

    confirmed = client.post(
        "/comptes/confirmation/code/", {"email": "zoe@example.fr", "code": confirmation_code(outbox, "zoe@example.fr")}
    )

    assert header_site(client, confirmed.headers["Location"]) == "CLAS Océan Indien"


def test_the_national_site_s_own_pages_stay_national(client):
    client.get("/sud-ouest/")

    assert header_site(client, "/") == "Alpha Sierra"
    assert header_site(client, "/annuaire/") == "Alpha Sierra"
    assert header_site(client, "/inscription/") == "Alpha Sierra"


def test_a_next_outside_the_portal_names_no_site(client):
    assert header_site(client, "/comptes/login/?next=//evil.example/sud-ouest/") == "Alpha Sierra"
    assert header_site(client, "/comptes/login/?next=https://evil.example/nord/") == "Alpha Sierra"


def test_the_header_of_a_shared_page_offers_the_sign_up_of_the_clas(client):
    client.get("/sud-ouest/")

    assert 'href="/sud-ouest/inscription/"' in client.get("/comptes/login/").content.decode()


def test_the_site_cookie_is_written_once_secure_httponly_and_lax(client):
    first = client.get("/sud-ouest/", secure=True)
    again = client.get("/sud-ouest/", secure=True)
    national = client.get("/", secure=True)

    cookie = first.cookies[SITE_COOKIE_NAME]
    assert cookie.value == "sud-ouest"
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert SITE_COOKIE_NAME not in again.cookies
    assert SITE_COOKIE_NAME not in national.cookies
