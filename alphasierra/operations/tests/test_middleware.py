import json
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_queue
from alphasierra.operations import views
from alphasierra.operations.middleware import OperationsMiddleware
from alphasierra.organisations.models import validate_slug_not_reserved

pytestmark = pytest.mark.django_db

PROBES = ("/health/live/", "/health/ready/")
# A load balancer probes each app server at its own address.
SERVER_ADDRESS = "10.20.30.40:8000"
OPERATIONS = "alphasierra.operations.middleware.OperationsMiddleware"


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["www.alpha-sierra.org"]
    settings.METRICS_TOKEN = "m" * 40


@pytest.mark.parametrize("path", PROBES)
def test_a_probe_at_the_server_s_own_address_over_plain_http_is_answered(production, path):
    response = Client().get(path, HTTP_HOST=SERVER_ADDRESS)

    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "ok"


def test_the_scrape_at_the_server_s_own_address_over_plain_http_is_answered(production):
    response = Client().get("/metrics/", HTTP_HOST=SERVER_ADDRESS, HTTP_AUTHORIZATION="Bearer " + "m" * 40)

    assert response.status_code == 200
    assert b"alphasierra_database_up 1.0" in response.content


def test_any_other_page_at_that_address_is_still_refused_and_http_redirected(production):
    assert Client().get("/annuaire/", HTTP_HOST=SERVER_ADDRESS).status_code == 400
    redirected = Client().get("/annuaire/", HTTP_HOST="www.alpha-sierra.org")
    assert (redirected.status_code, redirected["Location"]) == (301, "https://www.alpha-sierra.org/annuaire/")


@pytest.mark.parametrize("path", [*PROBES, "/metrics/"])
def test_no_cache_may_store_the_answers(path):
    response = Client().get(path)

    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_page_cache_never_serves_an_old_readiness(page_cache):
    client = Client()
    assert json.loads(client.get("/health/ready/").content)["status"] == "ok"

    message = message_queue(to="someone@example.fr", template="test_message", context={})
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert json.loads(client.get("/health/ready/").content)["status"] == "degraded"


def test_it_answers_the_paths_the_urlconf_routes_with_the_same_views():
    middleware = OperationsMiddleware(lambda request: pytest.fail("passed on"))

    assert middleware.views == {
        reverse("operations:live"): views.live,
        reverse("operations:ready"): views.ready,
        reverse("operations:metrics"): views.metrics,
    }


def test_it_stands_before_every_middleware_that_would_refuse_redirect_or_keep_a_probe():
    middleware = django_settings.MIDDLEWARE
    position = middleware.index(OPERATIONS)

    for other in middleware:
        if other.startswith(("django.", "allauth.", "whitenoise.")) or other.startswith("alphasierra.pages"):
            assert middleware.index(other) > position, other


@pytest.mark.parametrize("slug", ["health", "metrics"])
def test_no_site_can_take_the_first_segment_of_their_paths(slug):
    with pytest.raises(ValidationError):
        validate_slug_not_reserved(slug)
