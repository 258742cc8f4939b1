"""The data migration of the organisations app, run on a database made before it."""

import pytest

from alphasierra.organisations.models import Organisation
from alphasierra.organisations.sites import SITES
from alphasierra.tests.migrating import migrated_back

pytestmark = pytest.mark.django_db(transaction=True)


def test_0002_seed_sites_creates_the_17_sites_and_refreshes_one_already_there():
    with migrated_back("organisations", "0002_seed_sites") as run:
        organisation = run.apps.get_model("organisations", "Organisation")
        organisation.objects.all().delete()
        nord = organisation.objects.create(kind="clas", slug="nord", name="Nord (ancien)", short_name="N", position=9)

        run.forward()

    sites = Organisation.objects.all()
    assert [(site.kind, site.slug, site.name, site.time_zone, site.currency) for site in sites] == [
        (seed.kind, seed.slug, seed.name, seed.time_zone, seed.currency) for seed in SITES
    ]
    assert Organisation.objects.get(slug="nord").pk == nord.pk
    assert Organisation.objects.get(slug="nord").position == 3
