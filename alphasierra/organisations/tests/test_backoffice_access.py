"""Every back-office URL, for each kind of visitor: anonymous (to the login),
agent without role (403), staff of another organisation (404), staff of the
organisation (200), and staff without a second factor (to its set-up)."""

from datetime import date

import pytest

from alphasierra.accounts.models import User
from alphasierra.organisations.models import Organisation, Role
from alphasierra.transfers.services import transfer_request

pytestmark = pytest.mark.django_db

# (url, owner persona, persona of another organisation)
CLAS_URLS = [
    "/sud-ouest/gestion/",
    "/sud-ouest/gestion/agents/",
    "/sud-ouest/gestion/agents/export.csv",
    "/sud-ouest/gestion/agents/export.xlsx",
    "/sud-ouest/gestion/agents/{alice}/",
    "/sud-ouest/gestion/agents/{alice}/modifier/",
    "/sud-ouest/gestion/agents/{alice}/famille/",
    "/sud-ouest/gestion/inscriptions/",
    "/sud-ouest/gestion/inscriptions/{paul}/",
    "/sud-ouest/gestion/suppressions/",
    "/sud-ouest/gestion/transferts/",
    "/sud-ouest/gestion/transferts/{transfer}/",
]
NATIONAL_URLS = ["/gestion/", "/gestion/roles/", "/gestion/journal/"]
ASSOCIATION_URLS = ["/aramis/gestion/"]

CASES = (
    [(url, "bruno", "chloe") for url in CLAS_URLS]
    + [(url, "nadia", "bruno") for url in NATIONAL_URLS]
    + [(url, "david", "chloe") for url in ASSOCIATION_URLS]
)


def resolve(url: str, cast) -> str:
    transfer = 0
    if "{transfer}" in url:
        transfer = transfer_request(
            agent_id=cast.karim.agent.pk,
            destination=Organisation.objects.get(slug="sud-ouest"),
            reason="move",
            effective_date=date(2027, 1, 1),
            message="",
            actor=cast.karim,
        ).pk
    return url.format(alice=cast.alice.agent.pk, paul=cast.paul.agent.pk, transfer=transfer)


@pytest.mark.parametrize(("url", "owner", "other"), CASES)
def test_anonymous_is_sent_to_the_login(client, cast, url, owner, other):
    response = client.get(resolve(url, cast))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/comptes/login/?next=")


@pytest.mark.parametrize(("url", "owner", "other"), CASES)
def test_an_agent_without_role_is_refused(client, cast, url, owner, other):
    client.force_login(cast.karim)

    assert client.get(resolve(url, cast)).status_code == 403


@pytest.mark.parametrize(("url", "owner", "other"), CASES)
def test_staff_of_another_organisation_find_nothing(client, cast, url, owner, other):
    client.force_login(getattr(cast, other))

    assert client.get(resolve(url, cast)).status_code == 404


@pytest.mark.parametrize(("url", "owner", "other"), CASES)
def test_staff_of_the_organisation_are_served(client, cast, url, owner, other):
    client.force_login(getattr(cast, owner))

    assert client.get(resolve(url, cast)).status_code == 200


@pytest.mark.parametrize(("url", "owner", "other"), CASES)
def test_staff_without_second_factor_must_set_one_up_first(client, cast, url, owner, other):
    user = getattr(cast, owner)
    user.authenticator_set.all().delete()
    client.force_login(user)

    response = client.get(resolve(url, cast))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/comptes/2fa/totp/activate/")


def test_a_csr_reaches_the_register_but_not_the_registration_queue(client, cast):
    csr = User.objects.create_user("csr.sud-ouest@alpha-sierra.org", "phrase de passe longue")
    Role.objects.create(user=csr, organisation=Organisation.objects.get(slug="sud-ouest"), kind="social_correspondent")
    from alphasierra.testing import with_second_factor

    with_second_factor(csr)
    client.force_login(csr)

    assert client.get("/sud-ouest/gestion/agents/").status_code == 200
    assert client.get("/sud-ouest/gestion/inscriptions/").status_code == 403


def test_agents_may_set_up_a_second_factor_but_are_not_forced(client, cast):
    client.force_login(cast.alice)

    assert client.get("/comptes/mon-compte/").status_code == 200
    assert client.get("/comptes/2fa/").status_code == 200
    # Activating one asks for the password again first (allauth's reauthentication).
    assert client.get("/comptes/2fa/totp/activate/").headers["Location"].startswith("/comptes/reauthenticate/")
