from django.tasks import task

from alphasierra.mail.sending import message_deliver


@task()
def deliver_message(message_id: int) -> None:
    message_deliver(message_id=message_id)
