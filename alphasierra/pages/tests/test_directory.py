import pytest
from django.utils.html import strip_tags

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


def visible_text(client, path: str) -> str:
    """The words of the page's main content, as a person reads them."""
    body = client.get(path).content.decode()
    main = body.split('<main id="contenu"', 1)[1].split("</main>", 1)[0]
    return " ".join(strip_tags(main).split())


def test_a_clas_home_shows_its_correspondent_once_with_name_role_service_phone_and_e_mail(client, cast):
    text = visible_text(client, "/nord/")

    assert "Chloé Petit, correspondant social régional (CSR) SNA Nord — correspondante sociale" in text
    for detail in ("Chloé Petit", "correspondant social régional (CSR)", "03 20 00 00 00", "chloe@alpha-sierra.org"):
        assert text.count(detail) == 1, detail


def test_a_correspondent_without_a_name_shows_the_role_and_the_e_mail_once(client, cast):
    text = visible_text(client, "/nord/")

    assert "Responsable du site responsable.nord@alpha-sierra.org" in text
    assert text.count("responsable.nord@alpha-sierra.org") == 1


def test_the_directory_names_each_correspondent_or_their_role_never_the_e_mail_twice(client, cast):
    text = visible_text(client, "/annuaire/")

    assert "Bruno Lambert, responsable du site" in text
    for slug in ("centre-est", "enac", "nord", "polynesie-francaise"):
        assert text.count(f"responsable.{slug}@alpha-sierra.org") == 1, slug
    assert text.count("Responsable du site") == 12
