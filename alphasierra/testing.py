"""Helpers shared by the tests (kept out of conftest so that tests can import them)."""

import inspect
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.organisations.models import Organisation
from alphasierra.scheduler.jobs import jobs_for

if TYPE_CHECKING:
    from playwright.sync_api import Page


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


def make_accounts(n: int, start: int = 0) -> list[User]:
    """Many accounts at once, each with its confirmed address as allauth keeps
    it, for volume tests: bulk, not the services."""
    users = User.objects.bulk_create(User(email=f"compte{start + i}@example.fr") for i in range(n))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return users


def run_daily_jobs(*, now: datetime) -> None:
    """Every job of ``settings.PERIODIC_JOBS["daily"]``, as if run at ``now``
    (the jobs that take no date run as they are)."""
    for _name, job in jobs_for("daily"):
        if "now" in inspect.signature(job).parameters:
            cast(Callable[..., object], job)(now=now)
        else:
            job()


def traces_of(*needles: str, mail_dir: Path | None = None) -> list[str]:
    """Where any of the strings is still stored, as "model.field #pk: needle".

    Looks through every text and JSON column of every model of every installed
    app (many-to-many tables included), the decoded data of the sessions, and
    the decoded messages of the local outbox in ``mail_dir``. A needle matches
    as a whole word, in any letter case ("Martin" is not found in "Martinique").
    """
    patterns = [re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", re.IGNORECASE) for needle in needles]
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for pk, *values in model._base_manager.values_list("pk", *(f.attname for f in fields)):
            for field, value in zip(fields, values, strict=True):
                text = _stored_text(model, field, value)
                found += [f"{model._meta.label}.{field.name} #{pk}: {p.pattern}" for p in patterns if p.search(text)]
    for path in sorted(mail_dir.iterdir()) if mail_dir else []:
        text = _outbox_file_text(path.read_bytes())
        found += [f"{path.name}: {p.pattern}" for p in patterns if p.search(text)]
    return found


def _stored_text(model: type[models.Model], field: models.Field, value: object) -> str:
    if model is Session and field.name == "session_data":
        value = SessionStore().decode(str(value))  # base64 of signed JSON: read what it says
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _outbox_file_text(content: bytes) -> str:
    """The headers and decoded parts of the messages a file-based mail backend wrote."""
    texts = []
    for chunk in content.split(b"-" * 79 + b"\n"):
        if not chunk.strip():
            continue
        message = message_from_bytes(chunk, policy=policy.default)
        texts += [f"{name}: {value}" for name, value in message.items()]
        texts += [str(part.get_content()) for part in message.walk() if not part.is_multipart()]
    return "\n".join(texts)


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


def sign_up_form_fill(
    page: "Page", *, email: str, password: str, family_situation: str = "single", children: int = 0
) -> None:
    """Fill every field of a CLAS's sign-up form (open in ``page``) as Alice
    would, the family left to the caller."""
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(password)
    page.get_by_label("Confirmation du mot de passe").fill(password)
    page.get_by_label("Civilité").select_option("mme")
    page.locator("#id_last_name").fill("Martin")
    page.locator("#id_first_name").fill("Alice")
    page.locator("#id_birth_date").fill("1982-04-12")
    page.get_by_label("Employeur").select_option("dgac")
    page.locator("#id_status").select_option("active")
    page.locator("#id_service").fill("SNA Sud-Ouest")
    page.get_by_label("Adresse du service").fill("Aéroport de Toulouse-Blagnac, 31703 Blagnac")
    page.get_by_label("Téléphone professionnel").fill("05 61 00 00 00")
    page.get_by_label("Téléphone personnel").fill("06 12 34 56 78")
    page.locator("#id_address").fill("12 rue des Lilas")
    page.get_by_label("Code postal").fill("31000")
    page.get_by_label("Commune").fill("Toulouse")
    page.get_by_label("Situation familiale").select_option(family_situation)
    page.get_by_label("Nombre d'enfants").fill(str(children))


class _TableReader(HTMLParser):
    """The header and body cells of a page's first table, as a person reads
    them: the text for screen readers only (``fr-sr-only``) is left out."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._tables = 0
        self._cell: list[str] | None = None
        self._hidden_depth = 0
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._tables += 1
        if self._tables != 1:
            return
        if self._hidden_depth or "fr-sr-only" in (dict(attrs).get("class") or "").split():
            self._hidden_depth += 1
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._tables != 1:
            return
        if self._hidden_depth:
            self._hidden_depth -= 1
        elif tag == "thead":
            self._in_head = False
        elif tag in {"td", "th"} and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            (self.headers if self._in_head else self.rows[-1]).append(text)
            self._cell = None
        elif tag == "table":
            self._tables += 1  # only the first table is read

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden_depth:
            self._cell.append(data)


def html_table(html: str) -> tuple[list[str], list[list[str]]]:
    """The header cells and the rows of cells of the first table of a page."""
    reader = _TableReader()
    reader.feed(html)
    return reader.headers, reader.rows


def listed_names(html: str) -> list[str]:
    """« Nom Prénom » of each row of a list of agents (its first two columns)."""
    return [f"{row[0]} {row[1]}" for row in html_table(html)[1]]
