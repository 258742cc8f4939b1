"""Per-address limits behind the reverse proxy: every request comes from the
proxy, the client's address is the entry the proxy appended to X-Forwarded-For."""

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[3]
PROXY = "10.0.0.2"
# Rate-limit counters live in the cache, shared by the tests of a run: each test
# takes addresses of its own.
_addresses = (f"203.0.113.{n}" for n in itertools.count(10))


@pytest.fixture
def one_proxy(settings):
    """As settings.py does with TRUSTED_PROXY_COUNT=1 (read from the environment,
    see test_settings.py)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def through_proxy(forwarded_for: str) -> Client:
    """A browser behind the proxy, which appends the address it saw."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def fail_logins(client: Client, count: int, tag: str) -> None:
    for n in range(count):
        response = client.post("/comptes/login/", {"login": f"{tag}{n}@example.fr", "password": "pas le bon"})
        assert "Trop de tentatives" not in response.content.decode()


def login_is_throttled(client: Client) -> bool:
    response = client.post("/comptes/login/", {"login": "alice@example.fr", "password": "alpha-sierra-demo"})
    return "Trop de tentatives" in response.content.decode()


def test_two_clients_behind_the_proxy_have_their_own_login_limits(cast, one_proxy):
    first, second = next(_addresses), next(_addresses)
    fail_logins(through_proxy(first), 10, "a")

    assert login_is_throttled(through_proxy(first))
    assert not login_is_throttled(through_proxy(second))


def test_an_address_forged_on_the_left_does_not_dodge_the_login_limit(cast, one_proxy):
    client_address = next(_addresses)
    fail_logins(through_proxy(client_address), 10, "b")

    assert login_is_throttled(through_proxy(f"198.51.100.77, {client_address}"))


def test_the_portal_own_limits_follow_the_same_address(cast, one_proxy):
    # The confirmation code: 30 tries an hour per address, whatever the e-mail.
    first, second = next(_addresses), next(_addresses)
    for n in range(30):
        response = through_proxy(f"192.0.2.{n}, {first}").post(
            "/comptes/confirmation/code/", {"email": f"c{n}@example.fr", "code": "K7QM-4XPA"}
        )
        assert "patientez avant de réessayer" not in response.content.decode()

    def refused(forwarded_for: str) -> bool:
        response = through_proxy(forwarded_for).post(
            "/comptes/confirmation/code/", {"email": "autre@example.fr", "code": "K7QM-4XPA"}
        )
        return "patientez avant de réessayer" in response.content.decode()

    assert refused(first)
    assert not refused(second)


def test_trusted_proxy_count_is_read_from_the_environment():
    """settings.py as a fresh process reads it: TRUSTED_PROXY_COUNT=1."""
    script = (
        "from django.test import RequestFactory; from allauth.core import ratelimit\n"
        "def allowed(forwarded_for, key):\n"
        f"    request = RequestFactory().post('/comptes/login/', REMOTE_ADDR='{PROXY}', "
        "HTTP_X_FORWARDED_FOR=forwarded_for)\n"
        "    return '1' if ratelimit.consume(request, action='login_failed', key=key) else '0'\n"
        "print(''.join(allowed('192.0.2.50', f'k{n}') for n in range(10)), "
        "allowed('192.0.2.50', 'a'), allowed('198.51.100.1, 192.0.2.50', 'b'), allowed('192.0.2.51', 'c'))"
    )
    # A local-memory cache (no REDIS_URL, so DEBUG on): one process is all this needs.
    env = {**os.environ, "DEBUG": "1", "SECRET_KEY": "proxy-test", "TRUSTED_PROXY_COUNT": "1"}
    env.pop("REDIS_URL", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    # Ten failures from one client: it is blocked, even writing another address
    # to the left; the next client behind the same proxy is not.
    assert result.stdout.strip().splitlines()[-1] == "1111111111 0 0 1"
