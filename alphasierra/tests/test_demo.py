import pytest

from alphasierra.organisations.access import STAFF_ROLES
from alphasierra.organisations.models import Organisation, Role

pytestmark = pytest.mark.django_db


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
