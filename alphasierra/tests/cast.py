"""The fixed cast of personas of DESIGN.md, for the tests (the ``cast``
fixture of conftest.py), built through the real services."""

from dataclasses import dataclass

from alphasierra.accounts.models import User
from alphasierra.demo import demo_data_load
from alphasierra.organisations.models import Organisation
from alphasierra.organisations.sites import sites_seed
from alphasierra.testing import with_second_factor


@dataclass(frozen=True)
class Cast:
    """The personas of DESIGN.md."""

    alice: User
    paul: User
    bruno: User
    chloe: User
    karim: User
    david: User
    nadia: User


STAFF = ("bruno", "chloe", "david", "nadia")


def cast_write() -> None:
    """The 17 sites (again, after a transactional test's flush), the demo's
    accounts, and the staff's second factor, as the back-office requires."""
    if not Organisation.objects.exists():  # emptied by a transactional test's flush
        sites_seed(Organisation)
    demo_data_load()
    for name in STAFF:
        with_second_factor(User.objects.get(email=f"{name}@alpha-sierra.org"))


def cast_read() -> Cast:
    people = {user.email.split("@")[0]: user for user in User.objects.all()}
    return Cast(**{name: people[name] for name in Cast.__dataclass_fields__})


def cast_build() -> Cast:
    cast_write()
    return cast_read()
