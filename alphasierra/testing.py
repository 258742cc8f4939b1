"""Helpers shared by the tests (kept out of conftest so that tests can import them)."""

import time
from typing import Any

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.organisations.models import Organisation


def with_second_factor(user: User) -> str:
    """Activate TOTP for a user, as staff must; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now.

    allauth accepts the code of the current 30-second window only: near the
    end of one, wait for the next, or a slow browser test would send a code
    the server already sees as expired."""
    if time.time() % 30 > 20:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class PortalClient(Client):
    """The test client of the portal: tests log staff in as after a full login
    with their second factor.

    ``force_login`` of someone who has a second factor set up also writes, in
    the session, the authentication records allauth writes after a real login
    with the password then the TOTP code; the back-office and the admin require
    them. Someone without a second factor gets a password-only session.
    """

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            return
        now = time.time()
        session = self.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()


def make_agents(n: int, clas: Organisation, state: str, start: int, **extra: object) -> list[Agent]:
    """Many agents (each with a child) at once, for volume tests: bulk, not the services."""
    users = User.objects.bulk_create(User(email=f"bulk{start + i}@example.fr") for i in range(n))
    agents = Agent.objects.bulk_create(
        Agent(
            user=user,
            clas=clas,
            state=state,
            civility="m",
            last_name=f"Nom{start + i}",
            first_name="Prénom",
            employer="dgac",
            status="active",
            service="SNA",
            service_address="Blagnac",
            work_phone="+33561000000",
            personal_phone="+33612345678",
            address="1 rue",
            postal_code="31000",
            city="Toulouse",
            email_confirmed_at=timezone.now(),
            **extra,
        )
        for i, user in enumerate(users)
    )
    Relative.objects.bulk_create(
        Relative(agent=a, kind="child", last_name=a.last_name, first_name="Enfant") for a in agents
    )
    return agents
