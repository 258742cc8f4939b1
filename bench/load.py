"""The load driver of the stateful scenarios: people filling in the portal's
forms, many at once, against a running server.

    python -m bench.load --port 8000 --seconds 10 --clients 32 --out login.json \\
        login --accounts accounts.txt --password "…"

wrk replays fixed requests; a login, a sign-up or an activity registration
needs what the page just sent (the CSRF token, the form's one-time token, the
people of the household), so these flows are driven from Python: each client
is a thread with its own connection, doing what a browser does (GET the form,
POST it back with its hidden fields), one person after another.

Each flow comes from its own client address (X-Forwarded-For, read by the
portal behind one trusted proxy, ``TRUSTED_PROXY_COUNT=1``): the rate limits
stay on, as in production, and see many people rather than one. The addresses
are in 2001:db8::/32, the range reserved for documentation, one /64 each (the
rate limits group IPv6 addresses by /64); they are only header values, every
request goes to 127.0.0.1.

No Django here: the driver must cost the server's machine as little as
possible. It reports its own CPU time, and ``get`` measures its ceiling on
the floor view (bench/README.md, « Is the driver the bottleneck? »).
"""

import argparse
import html
import http.client
import itertools
import json
import os
import re
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.stats import Latency

# The sign-up form as a person fills it in (agents/tests/test_views.py's data);
# the e-mail address changes for each sign-up.
SIGNUP_FIELDS = {
    "password1": "une phrase de passe assez longue",
    "password2": "une phrase de passe assez longue",
    "civility": "mme",
    "last_name": "N'Diaye",
    "first_name": "Élodie",
    "birth_date": "1985-05-17",
    "employer": "dgac",
    "status": "active",
    "service": "SNA Sud-Ouest",
    "service_address": "Aéroport de Toulouse-Blagnac",
    "work_phone": "05 61 00 00 00",
    "personal_phone": "06 12 34 56 78",
    "address": "3 place du Capitole",
    "postal_code": "31000",
    "city": "Toulouse",
    "family_situation": "single",
    "children_count": "0",
    "spouse_last_name": "",
    "spouse_first_name": "",
    "spouse_birth_date": "",
    "enfants-TOTAL_FORMS": "0",
    "enfants-INITIAL_FORMS": "0",
    "envoyer": "1",
}

_FORM = re.compile(r"<form\b.*?</form>", re.S | re.I)
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')


class FlowError(Exception):
    """A response that is not what a person gets: the flow failed."""


@dataclass(frozen=True)
class Response:
    status: int
    location: str
    body: str
    ms: float


def _attributes(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value or "") for name, value in _ATTRIBUTE.findall(tag[len("<input") :])}


def form_with(page: str, marker: str) -> str:
    """The first form of the page whose HTML contains ``marker`` (a field's
    name="…"): a page also holds the language switch, the search, logout."""
    for form in _FORM.findall(page):
        if marker in form:
            return form
    raise FlowError(f"no form with {marker} in the page")


def hidden_fields(form: str) -> list[tuple[str, str]]:
    """The hidden inputs of a form, in order (a name may come several times)."""
    fields = []
    for tag in _INPUT.findall(form):
        attributes = _attributes(tag)
        if attributes.get("type", "").lower() == "hidden" and "name" in attributes:
            fields.append((attributes["name"], attributes.get("value", "")))
    return fields


def checkbox_values(form: str, name: str) -> list[str]:
    """The values of the enabled checkboxes called ``name``."""
    values = []
    for tag in _INPUT.findall(form):
        attributes = _attributes(tag)
        if attributes.get("type") == "checkbox" and attributes.get("name") == name and "disabled" not in attributes:
            values.append(attributes.get("value", ""))
    return values


def client_address(run: int, number: int) -> str:
    """The client address of one flow: a /64 of its own in 2001:db8::/32."""
    return f"2001:db8:{run & 0xFFFF:x}:{number & 0xFFFF:x}::1"


class Visitor:
    """One browser: a connection to the server (opened again when gunicorn
    closes it after a response) and the cookies of the person using it."""

    def __init__(self, host: str, port: int) -> None:
        self.host = f"{host}:{port}"
        self.connection = http.client.HTTPConnection(host, port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.address = "2001:db8::1"
        self.sent = 0  # requests sent, for the report

    def new_person(self, address: str, cookie: str = "") -> None:
        """Another person at this browser: their own cookies and address."""
        self.address = address
        self.cookies = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None) -> Response:
        headers = {
            "Host": self.host,
            # The HTTPS proxy in front of the portal says so, and who the client is.
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "User-Agent": "alphasierra-bench",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # A browser sends the page's origin: Django's CSRF check compares it with the host.
            headers["Origin"] = f"https://{self.host}"
        started = time.perf_counter()
        self.sent += 1
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        ms = (time.perf_counter() - started) * 1000
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or not value or value == '""':
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.will_close:
            self.connection.close()
        return Response(response.status, response.getheader("Location", ""), content.decode(errors="replace"), ms)

    def get(self, path: str, expect: int = 200) -> Response:
        response = self.request("GET", path)
        if response.status != expect:
            raise FlowError(f"GET {path}: {response.status} {response.location}")
        return response

    def post(self, path: str, fields: list[tuple[str, str]], expect: int) -> Response:
        response = self.request("POST", path, fields)
        if response.status != expect:
            raise FlowError(f"POST {path}: {response.status} {response.location}")
        return response


# --- The flows: what one person does ---------------------------------------------------------------
# Each returns the time of the request that does the work (the POST that
# checks the password, creates the account, takes the places).

type Flow = Callable[[Visitor, str], float]


def login_flow(password: str) -> Flow:
    def login(visitor: Visitor, email: str) -> float:
        page = visitor.get("/comptes/login/").body
        fields = [*hidden_fields(form_with(page, 'name="password"')), ("login", email), ("password", password)]
        done = visitor.post("/comptes/login/", fields, expect=302)
        if "/comptes/login/" in done.location:
            raise FlowError(f"login of {email} sent back to {done.location}")
        return done.ms

    return login


def signup_flow(site: str) -> Flow:
    path = f"/{site}/inscription/"

    def signup(visitor: Visitor, email: str) -> float:
        page = visitor.get(path).body
        fields = [*hidden_fields(form_with(page, 'name="password1"')), ("email", email), *SIGNUP_FIELDS.items()]
        done = visitor.post(path, fields, expect=302)
        if "/inscription/envoyee/" not in done.location:
            raise FlowError(f"sign-up of {email} led to {done.location}")
        return done.ms

    return signup


def registration_flow(visitor: Visitor, path: str) -> float:
    """An agent (logged in: the item's cookie) asks for a place for themself:
    the activity's page, « Voir le total », then « Confirmer ma demande »."""
    page = visitor.get(path).body
    form = form_with(page, 'name="people"')
    people = checkbox_values(form, "people")[:1]
    if not people:
        raise FlowError(f"{path}: nobody of the household may take part")
    chosen = [*hidden_fields(form), *(("people", key) for key in people), ("places", "famille"), ("step", "revoir")]
    review = visitor.post(path, chosen, expect=200)
    confirm = review.body.split('id="recapitulatif"', 1)[-1]
    fields = [*hidden_fields(form_with(confirm, 'value="confirmer"')), ("step", "confirmer")]
    done = visitor.post(path, fields, expect=302)
    return done.ms


def get_flow(visitor: Visitor, path: str) -> float:
    return visitor.get(path).ms


# --- Running many people at once --------------------------------------------------------------------


@dataclass
class Outcome:
    """What a run of one scenario did, as bench.run reads it back."""

    scenario: str
    clients: int
    flows: int = 0
    failures: int = 0
    failure_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rate: float = 0.0
    flow_ms: Latency | None = None  # the whole flow, every request of it
    work_ms: Latency | None = None  # the request that does the work
    requests: int = 0
    driver_cpu_seconds: float = 0.0


@dataclass
class _Shared:
    items: Iterator[tuple[str, str]]
    deadline: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    flow_ms: list[float] = field(default_factory=list)
    work_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def next_item(self) -> tuple[str, str] | None:
        with self.lock:
            if time.perf_counter() >= self.deadline:
                return None
            return next(self.items, None)


def _client(shared: _Shared, flow: Flow, port: int, run: int, numbers: Iterator[int]) -> None:
    visitor = Visitor("127.0.0.1", port)
    while (item := shared.next_item()) is not None:
        cookie, argument = item
        with shared.lock:
            number = next(numbers)
        visitor.new_person(client_address(run, number), cookie)
        started = time.perf_counter()
        sent_before = visitor.sent
        try:
            work = flow(visitor, argument)
        except (FlowError, OSError, http.client.HTTPException) as error:
            with shared.lock:
                shared.failures.append(str(error)[:300])
            continue
        finally:
            with shared.lock:
                shared.requests += visitor.sent - sent_before
        elapsed = (time.perf_counter() - started) * 1000
        with shared.lock:
            shared.flow_ms.append(elapsed)
            shared.work_ms.append(work)


def drive(
    scenario: str,
    flow: Flow,
    items: Iterator[tuple[str, str]],
    *,
    port: int,
    clients: int,
    seconds: float | None,
) -> Outcome:
    """Run ``flow`` over ``items`` (cookie, argument) with ``clients`` threads,
    until the items or the time run out."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    shared = _Shared(items=items, deadline=started + seconds if seconds else float("inf"))
    numbers = itertools.count()
    run = os.getpid()
    threads = [
        threading.Thread(target=_client, args=(shared, flow, port, run, numbers), daemon=True) for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    outcome = Outcome(
        scenario=scenario,
        clients=clients,
        flows=len(shared.flow_ms),
        failures=len(shared.failures),
        failure_samples=shared.failures[:5],
        seconds=elapsed,
        rate=len(shared.flow_ms) / elapsed,
        requests=shared.requests,
        driver_cpu_seconds=usage.ru_utime + usage.ru_stime - cpu_before,
    )
    if shared.flow_ms:
        outcome.flow_ms = Latency.of(shared.flow_ms)
        outcome.work_ms = Latency.of(shared.work_ms)
    return outcome


def _lines(path: str) -> list[str]:
    return [line for line in Path(path).read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Drive the portal's forms with many simulated people.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=32, help="people at once (threads)")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long (default: when done)")
    parser.add_argument("--out", help="write the outcome here as JSON")
    sub = parser.add_subparsers(dest="scenario", required=True)
    get = sub.add_parser("get", help="GET a path again and again (the driver's own ceiling)")
    get.add_argument("--path", default="/")
    login = sub.add_parser("login", help="full password logins: GET the form, POST it")
    login.add_argument("--accounts", required=True, help="file of e-mail addresses, taken in turn")
    login.add_argument("--password", required=True)
    login.add_argument("--times", type=int, default=None, help="this many logins, then stop")
    signup = sub.add_parser("signup", help="sign-ups through a CLAS's form")
    signup.add_argument("--site", required=True)
    signup.add_argument("--count", type=int, required=True)
    signup.add_argument("--prefix", required=True, help="e-mail addresses are <prefix>-<n>@example.org")
    register = sub.add_parser("register", help="activity registrations of logged-in agents")
    register.add_argument("--items", required=True, help="file of '<Cookie header>\\t<activity path>' lines")
    args = parser.parse_args(argv)

    items: Iterator[tuple[str, str]]
    flow: Flow
    if args.scenario == "get":
        items, flow = itertools.repeat(("", args.path)), get_flow
    elif args.scenario == "login":
        logins = (("", email) for email in itertools.cycle(_lines(args.accounts)))
        items = itertools.islice(logins, args.times) if args.times else logins
        flow = login_flow(args.password)
    elif args.scenario == "signup":
        items = (("", f"{args.prefix}-{n}@example.org") for n in range(args.count))
        flow = signup_flow(args.site)
    else:
        items = (tuple(line.split("\t", 1)) for line in _lines(args.items))  # type: ignore[misc]
        flow = registration_flow

    outcome = drive(args.scenario, flow, items, port=args.port, clients=args.clients, seconds=args.seconds)
    result = json.dumps(asdict(outcome), indent=1)
    if args.out:
        Path(args.out).write_text(result)
    print(
        f"{outcome.scenario}: {outcome.flows} done, {outcome.failures} failed in {outcome.seconds:.1f} s "
        f"= {outcome.rate:.1f}/s; driver CPU {outcome.driver_cpu_seconds:.1f} s",
        file=sys.stderr,
    )
    for sample in outcome.failure_samples:
        print(f"  failed: {sample}", file=sys.stderr)


if __name__ == "__main__":
    main()
