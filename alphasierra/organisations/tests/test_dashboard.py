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
