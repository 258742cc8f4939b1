import pytest

from alphasierra.mail.services import message_queue

pytestmark = pytest.mark.django_db


def test_the_dev_outbox_does_not_exist_without_debug(client, settings):
    settings.DEBUG = False
    message = message_queue(to="alice@example.fr", template="test_message", context={})

    assert client.get("/_dev/outbox/").status_code == 404
    assert client.get(f"/_dev/outbox/{message.pk}/").status_code == 404


def test_the_dev_outbox_lists_and_shows_messages_with_clickable_links(client, settings):
    settings.DEBUG = True
    message = message_queue(to="alice@example.fr", template="test_message", context={})

    listing = client.get("/_dev/outbox/").content.decode()
    detail = client.get(f"/_dev/outbox/{message.pk}/").content.decode()

    assert "alice@example.fr" in listing
    assert f'href="/_dev/outbox/{message.pk}/"' in listing
    assert '<a href="http://127.0.0.1:8000/"' in detail
