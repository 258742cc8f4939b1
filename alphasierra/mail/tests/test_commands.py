import pytest
from django.core import mail
from django.core.management import call_command

from alphasierra.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_mail_test_queues_a_message_through_the_outbox(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mail_test", "nadia@example.fr")

    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert mail.outbox[0].to == ["nadia@example.fr"]
