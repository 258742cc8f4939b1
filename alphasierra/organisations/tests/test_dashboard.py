import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_clas_dashboard_counts_agents_by_state(client, cast):
    client.force_login(cast.bruno)

    body = client.get("/sud-ouest/gestion/").content.decode()

    # Alice and Bruno approved, Paul waiting.
    assert '<p class="fr-tile__title fr-h2">2</p><p class="fr-tile__detail">agents validés</p>' in body
    assert '/sud-ouest/gestion/inscriptions/">1</a>' in body


def test_staff_see_the_way_to_their_back_office_in_the_header(client, cast):
    client.force_login(cast.bruno)

    assert 'href="/sud-ouest/gestion/"' in client.get("/sud-ouest/").content.decode()
    assert 'href="/sud-ouest/gestion/"' not in client.get("/nord/").content.decode()
    client.force_login(cast.alice)
    assert "/gestion/" not in client.get("/sud-ouest/").content.decode()


@pytest.mark.parametrize(
    ("persona", "dashboard"),
    [
        ("bruno", "/sud-ouest/gestion/"),
        ("chloe", "/nord/gestion/"),
        ("david", "/aramis/gestion/"),
        ("nadia", "/gestion/"),
    ],
)
def test_every_back_office_link_shown_to_staff_opens_for_them(client, cast, persona, dashboard):
    """The menu and the dashboard offer a person only the pages they may open:
    a social correspondent is not shown the site managers' queues."""
    client.force_login(getattr(cast, persona))

    body = client.get(dashboard).content.decode()
    links = set(re.findall(r'href="(/[^"]*gestion/[^"]*)"', body))

    assert dashboard in links
    refused = {link: client.get(link).status_code for link in links}
    assert {link: status for link, status in refused.items() if status != 200} == {}


def test_a_social_correspondent_is_not_offered_the_site_managers_queues(client, cast):
    client.force_login(cast.chloe)

    body = client.get("/nord/gestion/").content.decode()

    assert "/nord/gestion/transferts/" in body
    assert "/nord/gestion/inscriptions/" not in body
    assert "/nord/gestion/suppressions/" not in body
