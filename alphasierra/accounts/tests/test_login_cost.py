"""What a password login costs: one hash, and a number of queries that grows
neither with the number of accounts nor with the sessions the account has open."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.crypto import get_random_string

from alphasierra.accounts.models import User
from alphasierra.testing import make_accounts
from alphasierra.tests.plans import whole_table_reads

pytestmark = pytest.mark.django_db
PASSWORD = "une phrase de passe assez longue"
EMAIL = "nadia@alpha-sierra.org"
ACCOUNT_TABLES = ("accounts_user", "account_emailaddress")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's (EXPLAIN)")


@pytest.fixture
def nadia() -> User:
    user = User.objects.create_user(EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def full_login(email: str = "Nadia@Alpha-Sierra.ORG", password: str = PASSWORD) -> list[dict[str, str]]:
    """The queries of a login through the form, as a browser makes it: the
    page, then the e-mail and password sent (in another letter case)."""
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        client.get("/comptes/login/")
        response = client.post("/comptes/login/", {"login": email, "password": password})
    assert response.status_code in (200, 302)
    return captured.captured_queries


def analyse() -> None:
    # The planner's statistics, as autovacuum keeps them on a real database.
    with connection.cursor() as cursor:
        for table in ACCOUNT_TABLES:
            cursor.execute(f"ANALYZE {table}")


def open_sessions(user: User, n: int) -> None:
    """Sessions of the account on ``n`` other devices, still valid, each
    recorded in « Mes sessions ouvertes » as a login records it."""
    store = SessionStore()
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    keys = [get_random_string(32) for _ in range(n)]
    expiry = timezone.now() + timedelta(days=7)
    Session.objects.bulk_create(
        Session(session_key=k, session_data=store.encode(data), expire_date=expiry) for k in keys
    )
    UserSession.objects.bulk_create(UserSession(user=user, session_key=k, ip="192.0.2.1", user_agent="") for k in keys)


@postgresql_only
def test_the_login_finds_the_account_through_an_index_not_by_reading_every_account(nadia):
    make_accounts(3000)
    analyse()

    looked_up, whole = whole_table_reads(full_login(), tables=ACCOUNT_TABLES)

    assert looked_up >= 2  # the account, its address
    assert not whole, "\n\n".join(whole)


@postgresql_only
def test_a_failed_login_finds_the_account_through_an_index_too(nadia):
    make_accounts(3000)
    analyse()

    looked_up, whole = whole_table_reads(full_login(password="pas le bon mot de passe"), tables=ACCOUNT_TABLES)

    assert looked_up >= 2
    assert not whole, "\n\n".join(whole)


@postgresql_only
def test_a_password_reset_finds_the_account_through_an_index(nadia, client):
    make_accounts(3000)
    analyse()

    with CaptureQueriesContext(connection) as captured:
        response = client.post("/comptes/password/reset/", {"email": "NADIA@alpha-sierra.org"})
    looked_up, whole = whole_table_reads(captured.captured_queries, tables=ACCOUNT_TABLES)

    assert response.status_code == 302
    assert looked_up >= 1
    assert not whole, "\n\n".join(whole)


def test_a_login_makes_as_many_queries_with_3_accounts_as_with_300(nadia):
    make_accounts(2)
    full_login()  # the first request of a process reads what later ones find cached
    UserSession.objects.all().delete()  # each login below finds no other session open
    with_3 = full_login()

    UserSession.objects.all().delete()
    make_accounts(297, start=2)
    with_300 = full_login()

    assert User.objects.count() == 300
    assert len(with_300) == len(with_3), "\n".join(q["sql"] for q in with_300)


def test_a_login_makes_as_many_queries_with_1_session_open_as_with_50(nadia):
    full_login()
    UserSession.objects.all().delete()
    open_sessions(nadia, 1)
    with_1 = full_login()

    open_sessions(nadia, 49)
    with_50 = full_login()

    # The sessions of the other devices are still open, and still listed.
    assert UserSession.objects.filter(user=nadia).count() == 52
    assert len(with_50) == len(with_1), "\n".join(q["sql"] for q in with_50)


def test_a_login_forgets_the_account_s_ended_sessions_only(nadia):
    open_sessions(nadia, 4)
    ended = list(UserSession.objects.filter(user=nadia).values_list("session_key", flat=True)[:2])
    Session.objects.filter(session_key__in=ended[:1]).delete()  # logged out, or expired and cleared
    Session.objects.filter(session_key__in=ended[1:]).update(expire_date=timezone.now() - timedelta(seconds=1))
    live = set(
        UserSession.objects.filter(user=nadia).exclude(session_key__in=ended).values_list("session_key", flat=True)
    )
    [someone] = make_accounts(1)
    UserSession.objects.create(user=someone, session_key="ended-session-of-someone", ip="192.0.2.2")

    full_login()

    mine = set(UserSession.objects.filter(user=nadia).values_list("session_key", flat=True))
    # The other devices' sessions, and this one.
    assert live < mine
    assert len(mine) == len(live) + 1
    # Someone else's ended session waits for their own login, or the daily job.
    assert UserSession.objects.filter(user=someone).exists()


def test_a_login_hashes_the_password_once(nadia, hashes):
    full_login()

    assert hashes == [PASSWORD]
