"""Scale-out: two app servers and two task workers on one PostgreSQL database
and one Redis, as the README's « Production » lays them out behind a load
balancer. The test is the load balancer: each person's requests go to one
server or the other, and what one server did, the other must see.

Real parts end to end: gunicorn with DEBUG off and collected static files
(``alphasierra/tests/production.py``, as the smoke test starts it) twice,
``manage.py db_worker`` twice, Redis, PostgreSQL (the test database, where the
test writes its personas and reads what the servers did), and an SMTP server
(aiosmtpd) receiving what the workers send. The four processes start once for
the module.

Run it with ``PRODUCTION_SMOKE=1``, ``DATABASE_URL=postgres://…`` and
``REDIS_URL``, as ``make smoke`` (and CI) does.
"""

import asyncio
import itertools
import os
import secrets
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

import lxml.html
import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from alphasierra.accounts.hashers import OwaspArgon2PasswordHasher
from alphasierra.accounts.models import User
from alphasierra.activities.models import Participant, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.making import activity_make, households
from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_queue
from alphasierra.organisations.models import Organisation
from alphasierra.organisations.sites import sites_seed
from alphasierra.tests.production import (
    ONLY_WHEN_ASKED,
    database_url_named,
    free_port,
    gunicorn_start,
    manage,
    production_env,
    stop,
    wait_until_served,
    wait_until_working,
    worker_start,
)

pytestmark = [
    pytest.mark.production,
    pytest.mark.django_db(transaction=True),
    ONLY_WHEN_ASKED,
]

PASSWORD = "le ciel de Toulouse est bleu"
# The load balancer's address: what every client asks for (Host), whichever
# server answers (allauth counts failed logins per account and host).
PUBLIC_HOST = "127.0.0.1"
WORKERS = ("worker-a", "worker-b")
DELIVER = "alphasierra.mail.tasks.deliver_message"
# Each client comes from an address of its own, which the load balancer appends
# to X-Forwarded-For (TRUSTED_PROXY_COUNT=1). Redis outlives a run: a network
# drawn at random keeps a run's per-address counters away from the last run's.
_client_addresses = (f"10.{secrets.randbelow(256)}.{n // 250}.{n % 250 + 1}" for n in itertools.count())


class Inbox:
    """The mail server: keeps the Message-ID of every message accepted.

    Each message takes a little while, as a real server's answer does: the
    workers' sending overlaps, and both have their share of the queue."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        await asyncio.sleep(0.05)
        with self.lock:
            self.message_ids.append(str(message_from_bytes(envelope.content)["Message-ID"]))
        return "250 Message accepted for delivery"

    def count(self, message_id: str) -> int:
        with self.lock:
            return self.message_ids.count(message_id)


@dataclass(frozen=True)
class ScaledOut:
    servers: tuple[str, str]
    inbox: Inbox


@pytest.fixture(scope="module")
def scaled_out(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ScaledOut]:
    """Two gunicorn servers on two ports and two workers, on the test database
    and one Redis, configured as two hosts of one release are: the same
    SECRET_KEY, database, Redis, mail server and collected files."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    assert database_url.startswith(("postgres://", "postgresql://")), "the test needs DATABASE_URL on PostgreSQL"
    assert redis_url, "the test needs REDIS_URL"
    with django_db_blocker.unblock():
        # Every page needs the sites; a transactional test before may have emptied the table.
        if not Organisation.objects.exists():
            sites_seed(Organisation)
        test_database = str(connection.settings_dict["NAME"])
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    logs = tmp_path_factory.mktemp("scale-out")
    ports = (free_port(), free_port())
    servers = (f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}")
    env = production_env(
        database_url=database_url_named(database_url, test_database),
        redis_url=redis_url,
        var_dir=logs,
        portal_url=f"https://{PUBLIC_HOST}",
        # The clients speak to the load balancer: their Origin is its address.
        origins=[],
        email_port=smtp.port,
    )
    env["TRUSTED_PROXY_COUNT"] = "1"  # the load balancer
    started: list[subprocess.Popen[bytes]] = []
    try:
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        gunicorns = [gunicorn_start(env, port=port, log=logs / f"gunicorn-{port}.log") for port in ports]
        started += gunicorns
        workers = [worker_start(env, worker_id=worker_id, log=logs / f"{worker_id}.log") for worker_id in WORKERS]
        started += workers
        for server, gunicorn, port in zip(servers, gunicorns, ports, strict=True):
            wait_until_served(f"{server}/", gunicorn, logs / f"gunicorn-{port}.log")
        for worker, worker_id in zip(workers, WORKERS, strict=True):
            wait_until_working(worker, logs / f"{worker_id}.log")
        yield ScaledOut(servers=servers, inbox=inbox)
    finally:
        stop(*started)
        smtp.stop()


@pytest.fixture(autouse=True)
def _queue_drained(scaled_out: ScaledOut, transactional_db: None) -> Iterator[None]:
    """After each test, the workers have finished what it queued: the test
    database is emptied next, never under a worker's feet."""
    yield
    wait_for(queue_empty, what="the queue")


def queue_empty() -> bool:
    return not DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()


def wait_for(condition: Callable[[], bool], *, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: still waiting after {timeout} s")
        time.sleep(0.1)


class BehindTheLoadBalancer(DefaultCookiePolicy):
    """The load balancer terminates HTTPS: the browser sends it the Secure
    cookies, though the servers behind it are reached over plain HTTP."""

    def return_ok_secure(self, cookie: Cookie, request: Request) -> bool:
        return True


@dataclass(frozen=True)
class Answer:
    status: int
    path: str  # where the redirects, if any, led
    text: str


class Visitor:
    """One person's browser: its cookies, its address; each request goes to
    the server the test (the load balancer) sends it to. Redirects are
    followed on the same server."""

    def __init__(self) -> None:
        self.address = next(_client_addresses)
        self.opener = build_opener(HTTPCookieProcessor(CookieJar(BehindTheLoadBalancer())))

    def get(self, server: str, path: str) -> Answer:
        return self._send(Request(f"{server}{path}"))  # noqa: S310 - our own servers

    def submit(
        self, server: str, page: Answer, *, action: str, button: tuple[str, str] | None = None, **values: str
    ) -> Answer:
        """Send the form of ``page`` that posts to ``action`` (with the
        ``button`` clicked, when it has several), as the browser would: its
        fields, the hidden ones too (the CSRF token, the one-time token), with
        ``values`` filled in."""
        document = lxml.html.fromstring(page.text)
        forms = [form for form in document.forms if (form.get("action") or "").split("#")[0] == action]
        if button is not None:
            forms = [
                form for form in forms if form.xpath(".//button[@name=$n and @value=$v]", n=button[0], v=button[1])
            ]
        (form,) = forms
        fields = [(name, value) for name, value in form.form_values() if name not in values]
        fields += [*values.items(), *([button] if button else [])]
        request = Request(f"{server}{action}", data=urlencode(fields).encode(), method="POST")  # noqa: S310
        request.add_header("Origin", f"https://{PUBLIC_HOST}")
        return self._send(request)

    def _send(self, request: Request) -> Answer:
        # What the load balancer passes on: the host asked for, that it spoke
        # HTTPS, the client's address.
        request.add_header("Host", PUBLIC_HOST)
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("X-Forwarded-For", self.address)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, urlsplit(response.url).path, response.read().decode())
        except HTTPError as error:
            return Answer(error.code, urlsplit(error.url).path, error.read().decode())


def argon2_password(users: list[User]) -> None:
    """Give these accounts PASSWORD, hashed as production hashes it (the test
    process uses a fast hasher the servers do not know)."""
    hasher = OwaspArgon2PasswordHasher()
    User.objects.filter(pk__in=[user.pk for user in users]).update(password=hasher.encode(PASSWORD, hasher.salt()))


def log_in(visitor: Visitor, server: str, email: str, password: str = PASSWORD) -> Answer:
    """The login form, GET then POST, as a person fills it in."""
    page = visitor.get(server, "/comptes/login/")
    return visitor.submit(server, page, action="/comptes/login/", login=email, password=password)


def test_a_login_through_one_server_is_valid_on_the_other_and_a_logout_through_it_ends_it(scaled_out, cast):
    a, b = scaled_out.servers
    argon2_password([cast.alice])  # an agent: no second factor
    alice = Visitor()

    landed = log_in(alice, a, "alice@example.fr")
    account = alice.get(b, "/comptes/mon-compte/")

    assert landed.status == 200
    assert "Se déconnecter" in landed.text
    assert account.status == 200
    assert account.path == "/comptes/mon-compte/"
    assert "Alice" in account.text
    assert "alice@example.fr" in account.text

    # « Se déconnecter » in the header of the page B served, sent to B.
    alice.submit(b, account, action="/comptes/logout/")
    again = alice.get(a, "/comptes/mon-compte/")

    assert again.path == "/comptes/login/"
    assert "alice@example.fr" not in again.text


def failures_allowed_per_account() -> int:
    """The portal's limit of failed logins per account (the ``key`` part of
    ACCOUNT_RATE_LIMITS["login_failed"], "5/5m/key")."""
    (per_key,) = [rule for rule in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",") if rule.endswith("/key")]
    return int(per_key.split("/")[0])


def test_failed_logins_split_between_the_servers_are_counted_together(scaled_out, cast):
    a, b = scaled_out.servers
    target = User.objects.create_user(f"cible-{secrets.token_hex(4)}@example.fr")
    EmailAddress.objects.create(user=target, email=target.email, verified=True, primary=True)
    argon2_password([target])
    allowed = failures_allowed_per_account()
    # One browser, its requests spread by the load balancer: A, B, A, B…
    # Counted by each server (let alone by each of its worker processes),
    # neither would have seen as many as the limit.
    servers = [a, b] * allowed
    attacker = Visitor()

    failures = [log_in(attacker, servers[n], target.email, "pas le bon mot de passe") for n in range(allowed)]
    # The next one, with the right password, through whichever server comes next.
    next_one = log_in(attacker, servers[allowed], target.email)

    for failure in failures:
        assert "L’adresse e-mail ou le mot de passe sont incorrects" in failure.text
        assert "Trop de tentatives" not in failure.text
    assert "Trop de tentatives de connexion" in next_one.text
    assert "Se déconnecter" not in next_one.text
    assert attacker.get(a, "/comptes/mon-compte/").path == "/comptes/login/"


def test_each_e_mail_is_sent_once_and_both_workers_take_their_share(scaled_out, cast, settings):
    # The production queue: the workers take the tasks from the database.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    inbox = scaled_out.inbox

    # 40 e-mails at once, the tasks queued as the transaction commits.
    with transaction.atomic():
        messages = [message_queue(to=f"agent{n}@example.fr", template="test_message", context={}) for n in range(40)]
    pks = {message.pk for message in messages}
    wait_for(
        lambda: OutboxMessage.objects.filter(pk__in=pks, status=OutboxMessage.Status.SENT).count() == 40,
        what="the 40 messages sent",
    )
    wait_for(queue_empty, what="the queue")

    assert [inbox.count(message.message_id) for message in messages] == [1] * 40
    tasks = [task for task in DBTaskResult.objects.filter(task_path=DELIVER) if task.args_kwargs["args"][0] in pks]
    assert len(tasks) == 40
    assert {task.status for task in tasks} == {TaskResultStatus.SUCCESSFUL}
    # Each task taken by one worker, once.
    assert [len(task.worker_ids) for task in tasks] == [1] * 40
    shares = Counter(worker for task in tasks for worker in task.worker_ids)
    assert set(shares) == set(WORKERS), shares
    assert OutboxMessage.objects.filter(pk__in=pks, attempts=1).count() == 40


def test_the_last_places_go_to_as_many_households_whichever_server_they_ask(scaled_out, cast):
    activity = activity_make(capacity=3)
    (early,) = households(1, start=7000)
    registration_request(activity_id=activity.pk, agent=early, people=[SELF], accept_partial=False, by=early.user)
    places_left = 2
    agents = households(12, start=7100)
    users = [agent.user for agent in agents]
    EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users)
    argon2_password(users)
    path = f"/sud-ouest/activites/{activity.pk}/"
    visitors = [Visitor() for _ in agents]
    server_of = [scaled_out.servers[n % 2] for n in range(len(agents))]
    reviewed: list[Answer | None] = [None] * len(agents)
    confirmed: list[Answer | None] = [None] * len(agents)
    errors: list[BaseException] = []
    everyone_reviewed = threading.Barrier(len(agents))

    def household(n: int) -> None:
        visitor, server = visitors[n], server_of[n]
        try:
            log_in(visitor, server, users[n].email)
            page = visitor.get(server, path)
            # The agent alone, the whole request or nothing: « Voir le total ».
            review = visitor.submit(
                server, page, action=path, button=("step", "revoir"), people=str(SELF), places="famille"
            )
            reviewed[n] = review
            everyone_reviewed.wait(timeout=60)
            # « Confirmer ma demande », every household at once.
            confirmed[n] = visitor.submit(server, review, action=path, button=("step", "confirmer"))
        except BaseException as error:
            errors.append(error)
            everyone_reviewed.abort()

    threads = [threading.Thread(target=household, args=(n,)) for n in range(len(agents))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert all(answer is not None and "Confirmer ma demande" in answer.text for answer in reviewed)
    for answer in confirmed:
        assert answer is not None
        assert answer.status == 200
        assert answer.path.startswith("/comptes/inscriptions/")
    arrivals = list(Registration.objects.filter(activity=activity).exclude(agent=early).order_by("pk"))
    assert len(arrivals) == len(agents)
    # In the order the lock on the activity let them in: the first ones hold
    # the places left, the others wait.
    assert [r.state for r in arrivals] == ["confirmed"] * places_left + ["waiting"] * (len(agents) - places_left)
    assert places_taken(activity_id=activity.pk) == activity.capacity
    assert Participant.objects.filter(registration__activity=activity, state="confirmed").count() == activity.capacity
