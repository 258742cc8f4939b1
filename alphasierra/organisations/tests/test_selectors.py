import pytest

from alphasierra.organisations.selectors import organisation_for_path, organisations_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("/", "national"),
        ("/admin/login/", "national"),
        ("/comptes/connexion/", "national"),
        ("/sud-ouest/", "sud-ouest"),
        ("/sud-ouest/inscription/", "sud-ouest"),
        ("/aramis/", "aramis"),
        ("/inconnu/", None),
        ("/national/", None),
    ],
)
def test_it_reads_the_site_from_the_first_path_segment(path, slug):
    organisation = organisation_for_path(path, organisations_all())

    assert (organisation.slug if organisation else None) == slug
