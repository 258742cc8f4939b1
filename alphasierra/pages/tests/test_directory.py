import pytest

pytestmark = pytest.mark.django_db


def test_the_national_directory_lists_correspondents_with_their_professional_contact(client, cast):
    body = client.get("/annuaire/").content.decode()

    assert "Chloé Petit" in body
    assert "correspondant social régional (CSR)" in body
    assert "SNA Nord — correspondante sociale" in body
    assert "03 20 00 00 00" in body
    assert "chloe@alpha-sierra.org" in body
    assert "Bruno Lambert" in body
    assert "06 11 11 22 22" not in body  # never a personal phone


def test_each_clas_home_shows_its_own_correspondents(client, cast):
    nord = client.get("/nord/").content.decode()
    sud_ouest = client.get("/sud-ouest/").content.decode()

    assert "Chloé Petit" in nord
    assert "Bruno Lambert" not in nord
    assert "Bruno Lambert" in sud_ouest


def test_the_directory_query_count_does_not_grow_with_roles(client, cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/annuaire/")
