"""The sign-up form is no way to flood a mailbox nor to learn who has an account."""

import statistics
import time
from datetime import timedelta

import pytest
from django.test import Client

from alphasierra.accounts.models import User
from alphasierra.agents.tests.test_views import SIGNUP, signup_data
from alphasierra.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def attempt_mails(outbox, email: str) -> list:
    return [m for m in outbox(email) if "Tentative d'inscription" in m.subject]


def test_one_attempt_email_a_day_however_often_the_address_is_tried(cast, outbox):
    # A new client each time: the per-address limit is the one that matters here.
    for n in range(3):
        response = Client(REMOTE_ADDR=f"192.0.2.{n + 1}").post(SIGNUP, signup_data(email="alice@example.fr"))
        assert response.status_code == 302

    assert len(attempt_mails(outbox, "alice@example.fr")) == 1
    # Every attempt is still in the journal.
    assert AuditEvent.objects.filter(action="agent.signup_attempt_existing", subject=cast.alice).count() == 3


def test_attempts_a_day_apart_are_each_mailed(cast, outbox):
    Client().post(SIGNUP, signup_data(email="alice@example.fr"))
    first = AuditEvent.objects.get(action="agent.signup_attempt_existing")
    AuditEvent.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(days=1, minutes=1))

    Client(REMOTE_ADDR="192.0.2.9").post(SIGNUP, signup_data(email="alice@example.fr"))

    assert len(attempt_mails(outbox, "alice@example.fr")) == 2


def test_sign_ups_for_one_address_are_limited_with_a_french_message_and_what_was_typed_kept(cast, outbox):
    clients = [Client(REMOTE_ADDR=f"192.0.2.{n + 1}") for n in range(4)]
    for client in clients[:3]:
        client.post(SIGNUP, signup_data(email="Alice@example.fr"))
    events = AuditEvent.objects.count()

    response = clients[3].post(SIGNUP, signup_data(email="alice@EXAMPLE.fr", city="Colomiers"))

    assert response.status_code == 429
    body = response.content.decode()
    assert "Trop de demandes d'inscription" in body
    assert "Patientez une heure" in body
    # What was typed comes back; the passwords are asked again.
    assert 'value="Colomiers"' in body
    assert "une phrase de passe assez longue" not in body
    assert 'id="id_password1-desc-notice"' in body
    assert AuditEvent.objects.count() == events
    assert len(attempt_mails(outbox, "alice@example.fr")) == 1


def test_sign_ups_from_one_client_address_are_limited(db, outbox):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(10):
        assert client.post(SIGNUP, signup_data(email=f"personne{n}@example.fr")).status_code == 302
    users = User.objects.count()

    response = client.post(SIGNUP, signup_data(email="une-de-plus@example.fr"))

    assert response.status_code == 429
    assert "Trop de demandes d'inscription" in response.content.decode()
    assert User.objects.count() == users
    assert outbox("une-de-plus@example.fr") == []
    # Another client address is not held back.
    assert Client(REMOTE_ADDR="198.51.100.8").post(SIGNUP, signup_data(email="autre@example.fr")).status_code == 302


def test_a_form_with_errors_uses_no_attempt(db):
    client = Client()
    for _ in range(12):
        client.post(SIGNUP, signup_data(email="elodie@example.fr", password2="pas la même"))

    assert client.post(SIGNUP, signup_data(email="elodie@example.fr")).status_code == 302


def test_sign_up_takes_as_long_for_a_known_address_as_for_a_new_one(settings, cast):
    # The real hasher: the comparison is only meaningful with its cost.
    settings.PASSWORD_HASHERS = ["alphasierra.accounts.hashers.OwaspArgon2PasswordHasher"]
    # Each run from its own client address, each known address once: within the rate limits.
    known_addresses = ["alice@example.fr", "karim@example.fr", "paul@example.fr", "bruno@alpha-sierra.org"]

    def timed(email: str, n: int) -> float:
        client = Client(REMOTE_ADDR=f"203.0.113.{n}")
        started = time.perf_counter()
        response = client.post(SIGNUP, signup_data(email=email))
        assert response.status_code == 302
        return time.perf_counter() - started

    known = statistics.median(timed(email, n) for n, email in enumerate(known_addresses))
    new = statistics.median(timed(f"nouveau{n}@example.fr", 100 + n) for n in range(4))

    # The password is hashed on both paths: same order of time.
    assert 0.5 < new / known < 2.0, (known, new)


def test_a_rate_limited_login_answers_the_portals_french_page(db):
    client = Client()
    # allauth's "login" limit: 30 attempts a minute from one client address.
    for n in range(30):
        client.post("/comptes/login/", {"login": f"personne{n}@example.fr", "password": "pas le bon"})

    response = client.post("/comptes/login/", {"login": "alice@example.fr", "password": "alpha-sierra-demo"})

    assert response.status_code == 429
    body = response.content.decode()
    assert '<html lang="fr"' in body
    assert "Trop de demandes" in body
    assert "Erreur 429" in body
    assert "fr-header" in body  # the portal's DSFR page, not allauth's bare one
    assert "Too Many Requests" not in body
