"""« Mes sessions ouvertes » in « Mon compte » (allauth's usersessions): a
person ends the sessions of their other devices from the list."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alphasierra.accounts import services as accounts_services
from alphasierra.accounts.services import usersessions_purge_ended

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


# What « Mes sessions ouvertes » shows of each session (address, browser, time
# last seen) is written when it changes, and otherwise every few minutes only.


def usersession_writes(client: Client, *, address: str = "127.0.0.1", browser: str = "") -> list[str]:
    """The writes to the recorded session of one page of « Mon compte »."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/comptes/mon-compte/", REMOTE_ADDR=address, HTTP_USER_AGENT=browser).status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if '"usersessions_usersession"' in q["sql"] and q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_session_s_activity_is_written_once_then_again_after_the_interval(cast, monkeypatch):
    client = Client()
    client.force_login(cast.alice)

    first, second = usersession_writes(client), usersession_writes(client)
    later = timezone.now() + settings.SESSION_ACTIVITY_EVERY + timedelta(seconds=1)
    monkeypatch.setattr(accounts_services, "timezone", SimpleNamespace(now=lambda: later))
    after_the_interval, then = usersession_writes(client), usersession_writes(client)

    assert len(first) == 1  # recorded at the first request of the session
    assert second == []
    assert len(after_the_interval) == 1
    assert after_the_interval[0].startswith('UPDATE "usersessions_usersession" SET "last_seen_at"')
    assert then == []
    session = UserSession.objects.get(user=cast.alice)
    assert session.last_seen_at == later
    assert session.session_key == client.session.session_key


def test_a_login_records_the_session_and_the_next_page_writes_nothing(cast):
    client = logged_in("alice@example.fr")

    assert UserSession.objects.filter(user=cast.alice).count() == 1
    assert usersession_writes(client) == []


def test_a_new_address_or_browser_is_recorded_at_once(cast):
    client = Client()
    client.force_login(cast.alice)
    usersession_writes(client, address="192.0.2.10", browser="Firefox")

    moved = usersession_writes(client, address="198.51.100.20", browser="Firefox")
    other_browser = usersession_writes(client, address="198.51.100.20", browser="Chromium")

    assert len(moved) == 1
    assert len(other_browser) == 1
    session = UserSession.objects.get(user=cast.alice)
    assert (session.ip, session.user_agent) == ("198.51.100.20", "Chromium")


def test_a_session_logged_out_is_no_longer_listed(cast):
    laptop, phone = logged_in("alice@example.fr"), logged_in("alice@example.fr")

    phone.post("/comptes/logout/")

    listed = laptop.get("/comptes/sessions/").content.decode()
    assert listed.count("127.0.0.1") == 1
    assert list(UserSession.objects.filter(user=cast.alice).values_list("session_key", flat=True)) == [
        laptop.cookies[settings.SESSION_COOKIE_NAME].value
    ]


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"])
def test_the_daily_job_forgets_the_ended_sessions_of_every_account(cast, settings, engine):
    settings.SESSION_ENGINE = engine
    alice_laptop, alice_phone = logged_in("alice@example.fr"), logged_in("alice@example.fr")
    karim_laptop, karim_phone = logged_in("karim@example.fr"), logged_in("karim@example.fr")
    alice_phone.post("/comptes/logout/")
    karim_phone.post("/comptes/logout/")
    assert UserSession.objects.count() == 4

    forgotten = usersessions_purge_ended()

    assert forgotten == 2
    assert set(UserSession.objects.values_list("session_key", flat=True)) == {
        alice_laptop.cookies[settings.SESSION_COOKIE_NAME].value,
        karim_laptop.cookies[settings.SESSION_COOKIE_NAME].value,
    }
    assert "alphasierra.accounts.services.usersessions_purge_ended" in settings.PERIODIC_JOBS["daily"]
