from django.core.management.base import BaseCommand

from alphasierra.demo import DEMO_PASSWORD, demo_data_load


class Command(BaseCommand):
    help = "Load the demo personas into the local portal and print their logins."

    def handle(self, *args: object, **options: object) -> None:
        accounts = demo_data_load()
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in accounts:
            self.stdout.write(f"  {account.email:<40} {account.who}")
