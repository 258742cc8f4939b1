"""« Mes sessions ouvertes » in « Mon compte » (allauth's usersessions): a
person ends the sessions of their other devices from the list."""

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "alpha-sierra-demo"  # the demo accounts' password


def logged_in(email: str) -> Client:
    client = Client()
    response = client.post("/comptes/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_logged_in(client: Client) -> bool:
    return client.get("/comptes/mon-compte/").status_code == 200


def test_ending_the_other_session_from_the_list_logs_that_device_out_only(cast):
    laptop, phone = logged_in("alice@example.fr"), logged_in("alice@example.fr")
    karim = logged_in("karim@example.fr")
    laptop_key = laptop.cookies[settings.SESSION_COOKIE_NAME].value
    listed = laptop.get("/comptes/sessions/").content.decode()
    assert listed.count("127.0.0.1") == 2  # both of Alice's devices, not Karim's

    response = laptop.post("/comptes/sessions/", follow=True)

    assert response.redirect_chain == [("/comptes/sessions/", 302)]
    assert "Déconnecté de toutes les autres sessions" in response.content.decode()
    assert not is_logged_in(phone)
    assert phone.get("/comptes/mon-compte/").headers["Location"].startswith("/comptes/login/")
    assert is_logged_in(laptop)
    assert list(UserSession.objects.filter(user=cast.alice).values_list("session_key", flat=True)) == [laptop_key]
    assert is_logged_in(karim)  # someone else's session is never touched


def test_without_being_logged_in_no_session_is_ended(cast):
    phone = logged_in("alice@example.fr")
    sessions = set(UserSession.objects.values_list("session_key", flat=True))

    response = Client().post("/comptes/sessions/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/comptes/login/")
    assert set(UserSession.objects.values_list("session_key", flat=True)) == sessions
    assert is_logged_in(phone)
