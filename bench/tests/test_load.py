"""The load driver against the portal served on a real port: what it sends
is what the portal's forms take, and what it counts as done was done."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from alphasierra.activities.models import Registration
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.agents.models import Agent
from alphasierra.testing import PortalClient
from bench.load import checkbox_values, drive, form_with, hidden_fields, login_flow, registration_flow, signup_flow

PASSWORD = "le ciel de Toulouse est bleu"

FORM = """
<form action="/i18n/setlang/"><input type="hidden" name="csrfmiddlewaretoken" value="lang"></form>
<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="a&amp;b">
<input type="hidden" name="people" value="moi"><input type="hidden" name="people" value="7">
<input type="checkbox" name="people" value="self" id="p0"><input type="checkbox" name="people" value="9" disabled>
<input type="text" name="email" value="ignored"></form>
"""


def test_the_form_is_read_as_a_browser_sends_it():
    form = form_with(FORM, 'name="email"')

    assert hidden_fields(form) == [("csrfmiddlewaretoken", "a&b"), ("people", "moi"), ("people", "7")]
    assert checkbox_values(form, "people") == ["self"]


@pytest.fixture
def portal(live_portal: str, settings) -> int:
    """The live portal behind one HTTPS proxy, as bench.run serves it. One
    client at a time: SQLite's test database takes one writer (the driver's
    concurrency is the benchmark's business, on PostgreSQL)."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return int(urlsplit(live_portal).port or 80)


def test_logins_through_the_form_are_counted_and_a_wrong_password_fails(portal: int, cast):
    cast.alice.set_password(PASSWORD)
    cast.alice.save(update_fields=["password"])
    logins = [("", cast.alice.email)] * 3

    done = drive("login", login_flow(PASSWORD), iter(logins), port=portal, clients=1, seconds=None)
    refused = drive(
        "login", login_flow("pas le bon mot de passe"), iter(logins[:1]), port=portal, clients=1, seconds=None
    )

    assert (done.flows, done.failures, done.requests) == (3, 0, 6)
    assert done.work_ms is not None
    assert (refused.flows, refused.failures) == (0, 1)
    assert "POST /comptes/login/: 200" in refused.failure_samples[0]


def test_sign_ups_through_the_form_create_the_agents(portal: int, cast):
    emails = [("", f"ouverture-{n}@example.org") for n in range(3)]

    done = drive("signup", signup_flow("sud-ouest"), iter(emails), port=portal, clients=1, seconds=None)

    assert (done.flows, done.failures) == (3, 0)
    created = Agent.objects.filter(user__email__startswith="ouverture-", clas__slug="sud-ouest")
    assert created.count() == 3


def test_a_registration_takes_the_agents_place(portal: int, cast):
    activity = new_activity(cast.bruno.agent.clas, cast.bruno)
    client = PortalClient()
    client.force_login(cast.alice)
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    path = f"/sud-ouest/activites/{activity.pk}/"

    done = drive("register", registration_flow, iter([(cookie, path)]), port=portal, clients=1, seconds=None)

    assert (done.flows, done.failures, done.requests) == (1, 0, 3)
    assert Registration.objects.get(activity=activity).agent == cast.alice.agent
