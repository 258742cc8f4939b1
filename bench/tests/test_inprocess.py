"""The in-process measures of the benchmark, on the cast's portal: each
request served as the load sends it, its queries counted."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.inprocess import login_times, page_times

PASSWORD = "le ciel de Toulouse est bleu"


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_a_page_is_timed_with_the_queries_of_one_request(cast):
    visitor = Client(HTTP_X_FORWARDED_PROTO="https")
    visitor.get("/annuaire/")  # warmed up as the benchmark does (a page cache would serve the next)
    with CaptureQueriesContext(connection) as direct:
        visitor.get("/annuaire/")

    timing = page_times([("/annuaire/", "")], runs=3)

    assert timing.queries == len(direct.captured_queries) > 0
    assert 0 < timing.median_ms <= timing.p95_ms


def test_a_login_is_timed_through_the_form_with_its_csrf_check(cast):
    cast.alice.set_password(PASSWORD)
    cast.alice.save(update_fields=["password"])

    timing = login_times([cast.alice.email], PASSWORD)

    assert timing.queries > 0
    with pytest.raises(SystemExit, match="POST /comptes/login/: HTTP 200"):
        login_times([cast.alice.email], "pas le bon mot de passe")
