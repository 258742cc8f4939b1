"""Helpers shared by the tests (kept out of conftest so that tests can import them)."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.db import connection
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
    """The code an authenticator app would show now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


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


def service_start_after_reading(table: str) -> Callable[[str], bool]:
    """The start of a transaction (a savepoint inside the test's own one) after
    the view read ``table`` for its access check: the view's checks are done,
    its service has not begun."""
    seen = False

    def predicate(sql: str) -> bool:
        nonlocal seen
        seen = seen or f'FROM "{table}"' in sql
        return seen and sql.startswith("SAVEPOINT")

    return predicate


@contextmanager
def meanwhile(action: Callable[[], object], *, before: Callable[[str], bool]) -> Iterator[None]:
    """Run ``action`` once, just before the first query for which ``before`` is
    true: another person's action landing in the middle of the request under
    test, the interleaving a second process would produce, made deterministic
    on the real database."""
    done = False

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        nonlocal done
        if not done and before(sql):
            done = True
            action()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    if not done:
        raise AssertionError("the other action never ran")
