from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from alphasierra.demo import DEMO_PASSWORD, demo_data_load
from alphasierra.demo_sites import demo_activities_load, demo_content_load


class Command(BaseCommand):
    help = "Load the demo personas into the local portal and print their logins."

    def handle(self, *args: object, **options: object) -> None:
        # The demo creates a superuser and prints its password: never on a real portal.
        if not settings.DEBUG:
            raise CommandError(
                _("Les données de démonstration ne se chargent que sur un portail local (DEBUG activé).")
            )
        accounts = demo_data_load()
        demo_activities_load()
        demo_content_load()
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in accounts:
            self.stdout.write(f"  {account.email:<40} {account.who}")
