from django.core.management.base import BaseCommand

from alphasierra.demo import demo_data_load


class Command(BaseCommand):
    help = "Load the demo personas into the local portal and print their logins."

    def handle(self, *args: object, **options: object) -> None:
        accounts = demo_data_load()
        self.stdout.write("Comptes de démonstration :")
        for account in accounts:
            self.stdout.write(f"  {account.email:<36} {account.password:<20} {account.who}")
