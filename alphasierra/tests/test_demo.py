import pytest

from alphasierra.demo_sites import demo_activities_load, demo_content_load
from alphasierra.organisations.access import STAFF_ROLES
from alphasierra.organisations.models import Organisation, Role

pytestmark = pytest.mark.django_db

# Who runs each kind of site: a CLAS's registrations and deletions are its
# site managers' work, a social correspondent alone could not approve anyone.
MANAGER = {
    Organisation.Kind.CLAS: Role.Kind.SITE_MANAGER,
    Organisation.Kind.ASSOCIATION: Role.Kind.ASSOCIATION_MANAGER,
    Organisation.Kind.NATIONAL: Role.Kind.NATIONAL_ADMIN,
}


def test_every_organisation_of_the_demo_has_someone_to_run_it(cast):
    """The local portal can be tried as the staff of each of the 17 sites."""
    unmanaged = [
        organisation.slug
        for organisation in Organisation.objects.all()
        if not Role.objects.filter(
            organisation=organisation, kind__in=STAFF_ROLES[Organisation.Kind(organisation.kind)]
        ).exists()
    ]

    assert Organisation.objects.count() == 17
    assert unmanaged == []


def test_each_clas_and_association_of_the_demo_has_a_manager(cast):
    without_manager = [
        organisation.slug
        for organisation in Organisation.objects.all()
        if not Role.objects.filter(
            organisation=organisation, kind=MANAGER[Organisation.Kind(organisation.kind)]
        ).exists()
    ]

    assert Organisation.objects.exclude(kind=Organisation.Kind.NATIONAL).count() == 16
    assert without_manager == []


def test_the_demo_offers_activities_on_sud_ouest_and_aramis(cast, client):
    demo_activities_load()
    demo_activities_load()  # run twice, as `make run` does on every start: nothing more

    sud_ouest = client.get("/sud-ouest/activites/").content.decode()
    aramis = client.get("/aramis/activites/").content.decode()

    assert "Sortie en famille au parc Walibi" in sud_ouest
    assert "Arbre de Noël des enfants" in sud_ouest
    assert "Week-end randonnée dans les Pyrénées" in aramis
    assert "Walibi" not in client.get("/nord/activites/").content.decode()


def test_the_demo_gives_sud_ouest_and_aramis_content_of_their_own(cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_content_load()
    demo_content_load()  # run twice, as `make run` does on every start: nothing more

    home = client.get("/sud-ouest/").content.decode()
    permanences = client.get("/sud-ouest/pages/permanences/").content.decode()

    assert "Bienvenue au CLAS Sud-Ouest" in home
    assert 'alt="Dégradé du gris au blanc"' in home
    assert "Nouvelles aides aux vacances" in home
    assert "<table>" in permanences
    assert "Assemblée générale d&#x27;ARAMIS" in client.get("/aramis/actualites/").content.decode()
    # Every other site keeps the default home.
    assert "Bienvenue" not in client.get("/nord/").content.decode()
