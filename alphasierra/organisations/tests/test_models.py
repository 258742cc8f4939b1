import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db

CLAS_SLUGS = [
    "centre-est",
    "enac",
    "nord",
    "nord-est",
    "ouest",
    "region-parisienne",
    "sud",
    "sud-est",
    "sud-ouest",
    "antilles-guyane",
    "nouvelle-caledonie",
    "ocean-indien",
    "polynesie-francaise",
]
OVERSEAS_TIME_ZONES = {
    "antilles-guyane": "America/Martinique",
    "ocean-indien": "Indian/Reunion",
    "nouvelle-caledonie": "Pacific/Noumea",
    "polynesie-francaise": "Pacific/Tahiti",
}


def test_it_seeds_exactly_the_seventeen_sites_of_the_communique():
    kinds = {o.slug: o.kind for o in Organisation.objects.all()}

    assert len(kinds) == 17
    assert [slug for slug, kind in kinds.items() if kind == "national"] == ["national"]
    assert sorted(slug for slug, kind in kinds.items() if kind == "clas") == sorted(CLAS_SLUGS)
    assert sorted(slug for slug, kind in kinds.items() if kind == "association") == ["anafacem", "aramis", "unasacem"]


def test_time_zones_are_paris_except_overseas():
    for organisation in Organisation.objects.all():
        assert organisation.time_zone == OVERSEAS_TIME_ZONES.get(organisation.slug, "Europe/Paris"), organisation.slug


def test_currency_is_euro_except_pacific_franc_in_the_pacific():
    xpf = set(Organisation.objects.filter(currency="XPF").values_list("slug", flat=True))

    assert xpf == {"nouvelle-caledonie", "polynesie-francaise"}
    assert Organisation.objects.exclude(currency__in=["EUR", "XPF"]).count() == 0


def test_names_are_written_as_people_write_them():
    names = dict(Organisation.objects.values_list("slug", "name"))

    assert names["sud-ouest"] == "CLAS Sud-Ouest"
    assert names["nouvelle-caledonie"] == "CLAS Nouvelle-Calédonie"
    assert names["region-parisienne"] == "CLAS Région parisienne"
    assert names["aramis"] == "ARAMIS"


def test_a_slug_reserved_by_the_portal_is_refused():
    organisation = Organisation(kind="clas", slug="comptes", name="CLAS Comptes", short_name="Comptes")

    with pytest.raises(ValidationError) as error:
        organisation.full_clean()

    assert "slug" in error.value.message_dict


def test_an_unknown_time_zone_is_refused():
    organisation = Organisation(kind="clas", slug="lune", name="CLAS Lune", short_name="Lune", time_zone="Moon/Base")

    with pytest.raises(ValidationError) as error:
        organisation.full_clean()

    assert "time_zone" in error.value.message_dict


def test_the_database_refuses_a_second_national_site():
    with pytest.raises(IntegrityError):
        Organisation.objects.create(kind="national", slug="bis", name="Bis", short_name="Bis")


def test_the_database_refuses_an_unknown_kind():
    with pytest.raises(IntegrityError):
        Organisation.objects.create(kind="club", slug="club", name="Club", short_name="Club")


def test_addresses_follow_the_communique():
    assert Organisation.objects.get(kind="national").get_absolute_url() == "/"
    assert Organisation.objects.get(slug="sud-ouest").get_absolute_url() == "/sud-ouest/"
    assert Organisation.objects.get(slug="aramis").get_absolute_url() == "/aramis/"
