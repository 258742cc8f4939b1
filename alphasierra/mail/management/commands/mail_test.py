from django.core.management.base import BaseCommand, CommandParser
from django.core.validators import validate_email

from alphasierra.mail.services import message_queue


class Command(BaseCommand):
    help = "Queue a test e-mail through the outbox, to check the worker and the mail server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("to", help="recipient address")

    def handle(self, *args: object, to: str, **options: object) -> None:
        validate_email(to)
        message = message_queue(to=to, template="test_message", context={})
        self.stdout.write(f"Queued message {message.pk} to {to}; the worker will send it.")
