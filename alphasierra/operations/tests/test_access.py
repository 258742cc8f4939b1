from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN = "jeton-de-prometheus-" + "x" * 24


def scrape(**meta: Any) -> int:
    return Client().get("/metrics/", **meta).status_code


def bearer(token: str) -> str:
    return f"Bearer {token}"


def test_without_a_token_nor_addresses_nobody_may_read_them(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []

    assert scrape() == 404
    assert scrape(REMOTE_ADDR="127.0.0.1") == 404
    # An empty token is no token.
    assert scrape(HTTP_AUTHORIZATION="Bearer ") == 404
    assert scrape(HTTP_AUTHORIZATION="Bearer") == 404


def test_the_token_opens_them(settings):
    settings.METRICS_TOKEN = TOKEN

    assert scrape(HTTP_AUTHORIZATION=bearer(TOKEN)) == 200
    assert scrape(HTTP_AUTHORIZATION=f"bearer {TOKEN}") == 200


@pytest.mark.parametrize(
    "authorization",
    ["", bearer(TOKEN[:-1]), bearer(TOKEN + "x"), bearer(TOKEN.upper()), f"Basic {TOKEN}", TOKEN, bearer("")],
)
def test_anything_but_the_token_is_a_404(settings, authorization):
    settings.METRICS_TOKEN = TOKEN

    assert scrape(HTTP_AUTHORIZATION=authorization) == 404


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("10.8.0.3", 200),
        ("10.8.0.4", 404),
        ("192.168.50.77", 200),  # in the network
        ("192.168.51.1", 404),
        ("::ffff:10.8.0.3", 200),  # the same address, as a dual-stack socket gives it
        ("fd00::1", 200),
        ("fe80::1", 404),
    ],
)
def test_a_listed_address_or_network_opens_them(settings, address, status):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.8.0.3/32", "192.168.50.0/24", "fd00::/8"]

    assert scrape(REMOTE_ADDR=address) == status


def test_the_address_is_the_peer_s_never_the_forwarded_one(settings):
    settings.METRICS_ALLOWED_IPS = ["10.8.0.3/32"]

    # Behind the reverse proxy, X-Forwarded-For is whatever the client wrote.
    assert scrape(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.8.0.3") == 404


def test_a_refusal_tells_nothing(settings):
    settings.METRICS_TOKEN = TOKEN

    response = Client().get("/metrics/", HTTP_AUTHORIZATION=bearer("presque"))

    assert response.status_code == 404
    assert response.content == b""
