"""Demo data for the local portal: the personas of DESIGN.md, as far as their
features exist. Idempotent: running it twice changes nothing."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from alphasierra.accounts.models import User

DEMO_PASSWORD = "alpha-sierra-demo"  # noqa: S105 - printed on purpose, local portal only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    who: str


@transaction.atomic
def demo_data_load() -> list[DemoAccount]:
    accounts = []
    nadia, created = User.objects.get_or_create(
        email="nadia@alpha-sierra.org", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        nadia.set_password(DEMO_PASSWORD)
        nadia.save(update_fields=["password"])
        EmailAddress.objects.create(user=nadia, email=nadia.email, verified=True, primary=True)
    accounts.append(DemoAccount(nadia.email, DEMO_PASSWORD, "Nadia, administratrice nationale (/admin/)"))
    return accounts
