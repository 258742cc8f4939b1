"""One log line per request (``operations.request_log``)."""

import logging
import re

import pytest
from django.test import Client

from alphasierra.operations.tests.capture import REQUEST_LINE_FIELDS, logs_captured

pytestmark = pytest.mark.django_db

GENERATED_ID = re.compile(r"[0-9a-f]{32}")
FAILS = "/comptes/echec/cle-secrete-123/"


def test_each_request_writes_one_line_naming_its_route_view_status_account_and_site(client, cast):
    client.force_login(cast.bruno)
    paul = cast.paul.agent.pk

    with logs_captured() as log:
        response = client.get(f"/sud-ouest/gestion/inscriptions/{paul}/?q=Durand")

    assert response.status_code == 200
    [line] = log.requests()
    assert set(line) == REQUEST_LINE_FIELDS
    assert line["level"] == "INFO"
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["route"], line["view"], line["status"]) == (
        "GET",
        "<slug:site>/gestion/inscriptions/<int:pk>/",
        "agents:request-detail",
        200,
    )
    assert (line["user_id"], line["organisation"]) == (cast.bruno.pk, "sud-ouest")
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] > 0
    assert line["message"].startswith("GET /<slug:site>/gestion/inscriptions/<int:pk>/ 200 ")
    # Neither the path (its number), the query string (a name searched), nor
    # who the manager is.
    text = log.output.getvalue()
    assert f"/{paul}/" not in text
    assert "Durand" not in text
    assert "bruno" not in text.lower()
    assert "127.0.0.1" not in text


def test_a_refusal_is_written_with_who_was_refused_where(client, cast):
    client.force_login(cast.alice)  # an agent, not a site manager

    with logs_captured() as log:
        response = client.get("/sud-ouest/gestion/inscriptions/")

    assert response.status_code == 403
    [line] = log.requests()
    assert (line["status"], line["user_id"], line["organisation"], line["view"]) == (
        403,
        cast.alice.pk,
        "sud-ouest",
        "agents:requests",
    )


def test_an_anonymous_request_on_the_national_site_has_neither_account_nor_site(client):
    with logs_captured() as log:
        client.get("/annuaire/")

    [line] = log.requests()
    assert (line["route"], line["view"], line["status"]) == ("annuaire/", "directory", 200)
    assert (line["user_id"], line["organisation"]) == (None, None)


def test_a_page_served_by_the_page_cache_has_its_line_with_its_route_at_no_query_cost(
    page_cache, django_assert_num_queries
):
    for _ in range(2):  # the first visit starts the site's generation, the second's answer is kept
        Client().get("/sud-ouest/")

    with logs_captured() as log, django_assert_num_queries(0):
        response = Client().get("/sud-ouest/")

    assert response.status_code == 200
    [line] = log.requests()
    assert (line["route"], line["view"], line["organisation"], line["user_id"]) == (
        "<slug:site>/",
        "pages:home",
        "sud-ouest",
        None,
    )
    assert line["request_id"] == response["X-Request-ID"]


def test_a_path_that_is_no_page_is_not_written_even_by_django(client):
    with logs_captured() as log:
        response = client.get("/comptes/confirm-email/cle-secrete-123/inconnue/")

    assert response.status_code == 404
    [line] = log.requests()
    assert (line["route"], line["view"], line["status"]) == (None, None, 404)
    assert [entry["logger"] for entry in log.entries()] == ["alphasierra.requests"]
    assert "cle-secrete-123" not in log.output.getvalue()


def test_a_refused_csrf_token_is_logged_without_the_key_in_the_path(cast):
    client = Client(enforce_csrf_checks=True)

    with logs_captured() as log:
        response = client.post("/comptes/confirm-email/cle-secrete-123/")

    assert response.status_code == 403
    [refusal] = [entry for entry in log.entries() if entry["logger"] == "django.security.csrf"]
    assert refusal["level"] == "WARNING"
    assert refusal["request_id"] == response["X-Request-ID"]
    assert refusal["message"].startswith("Forbidden (CSRF cookie not set.): comptes/confirm-email/")
    [line] = log.requests()
    assert (line["view"], line["status"]) == ("account_confirm_email", 403)
    assert "cle-secrete-123" not in log.output.getvalue()


@pytest.mark.urls("alphasierra.operations.tests.failing_urls")
def test_a_view_that_raises_gets_its_line_with_500_and_django_s_error_without_the_path():
    client = Client(raise_request_exception=False)

    with logs_captured() as log:
        response = client.get(FAILS)

    assert response.status_code == 500
    [line] = log.requests()
    assert (line["route"], line["view"], line["status"]) == ("comptes/echec/<str:key>/", "fails", 500)
    [error] = [entry for entry in log.entries() if entry["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: comptes/echec/<str:key>/"
    assert error["request_id"] == line["request_id"] == response["X-Request-ID"]
    assert error["status_code"] == 500
    assert "RuntimeError: the view failed" in error["exc"]
    assert "cle-secrete-123" not in log.output.getvalue()


@pytest.mark.urls("alphasierra.operations.tests.failing_urls")
def test_an_exception_that_goes_up_to_the_server_still_gets_its_line_with_500(settings):
    # The test client re-raises too; with this setting the exception passes
    # through the middleware itself, as it would on its way to gunicorn.
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True

    with logs_captured() as log, pytest.raises(RuntimeError):
        Client().get(FAILS, headers={"X-Request-ID": "remonte-1"})

    [line] = log.requests()
    assert (line["request_id"], line["status"], line["route"]) == ("remonte-1", 500, "comptes/echec/<str:key>/")


def test_the_request_id_nginx_sent_is_kept_and_sent_back(client):
    nginx = "5f2b1c9e0a7d4e3f8b6a1c2d3e4f5a6b"

    with logs_captured() as log:
        response = client.get("/", headers={"X-Request-ID": nginx})

    assert response["X-Request-ID"] == nginx
    assert [line["request_id"] for line in log.requests()] == [nginx]


def test_without_an_incoming_id_each_request_gets_a_new_one(client):
    with logs_captured() as log:
        first, second = client.get("/"), client.get("/")

    assert GENERATED_ID.fullmatch(first["X-Request-ID"])
    assert GENERATED_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert [line["request_id"] for line in log.requests()] == [first["X-Request-ID"], second["X-Request-ID"]]


@pytest.mark.parametrize(
    "sent",
    ["a" * 65, "deux mots", 'fin"}{"faux": "champ', "<script>", "é-accentué", "ligne\\nsuivante", "a/b"],
)
def test_an_incoming_id_that_is_not_a_plain_token_is_replaced(client, sent):
    with logs_captured() as log:
        response = client.get("/", headers={"X-Request-ID": sent})

    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
    [line] = log.requests()
    assert line["request_id"] == response["X-Request-ID"]
    assert sent not in log.output.getvalue()


def test_a_line_logged_by_a_view_carries_the_request_s_id(client, cast):
    with logs_captured() as log:
        client.post(
            "/comptes/login/",
            {"login": "alice@example.fr", "password": "pas le bon mot de passe"},
            headers={"X-Request-ID": "connexion-1"},
        )

    [failed] = [entry for entry in log.entries() if entry["logger"] == "alphasierra.security"]
    assert failed["message"] == f"login failed account={cast.alice.pk} ip=127.0.0.1"
    assert failed["request_id"] == "connexion-1"
    [line] = log.requests()
    assert line["request_id"] == "connexion-1"


def test_a_line_logged_outside_a_request_has_no_request_id(client):
    with logs_captured() as log:
        client.get("/")
        logging.getLogger("alphasierra.tests").warning("après la requête")

    [after] = [entry for entry in log.entries() if entry["logger"] == "alphasierra.tests"]
    assert "request_id" not in after
