"""The server's own time and SQL queries of each scenario, in-process.

    python -m bench.inprocess --plan plan.json --out inprocess.json --runs 20

The same requests as the load, served by Django's test client in this process
(no network, no gunicorn) against the benchmark's database, with the server's
settings: each page's server time (median and p95 of ``--runs`` requests after
two warm-ups) and its number of SQL queries (``CaptureQueriesContext`` around
one request). For the forms, the POST that does the work is timed and counted:
the login, the sign-up, the confirmation of an activity registration. Also:

- the back-office's fixed cost: an empty back-office page (``bench/urls.py``);
- the register's search, query by query;
- logins of an account holding many open sessions, against fresh accounts.

Writes what it logs in with, signs up and registers: only the plan's spare
accounts and registrations, never those of the load.
"""

import argparse
import json
import os
import statistics
import time
from dataclasses import asdict
from functools import cache
from http.cookies import SimpleCookie
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alphasierra.settings")
django.setup()

from django.conf import settings  # noqa: E402 - needs django.setup()
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.load import SIGNUP_FIELDS, checkbox_values, client_address, form_with, hidden_fields  # noqa: E402
from bench.scenarios import BACKOFFICE_FIXED_NAME, pages  # noqa: E402
from bench.stats import ServerTime, percentile  # noqa: E402

HOST = "127.0.0.1"
_addresses = count()


@cache
def _browser() -> Client:
    """The one test client of this process, behind the HTTPS proxy, CSRF
    checked as for a real browser. One for all: each Client builds its own
    middleware chain, and whitenoise's then scans every static file (seconds,
    which a server spends once per worker, not per visitor)."""
    return Client(
        enforce_csrf_checks=True, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", HTTP_ORIGIN=f"https://{HOST}"
    )


class Person:
    """Someone at the browser: their cookies and their client address."""

    def __init__(self, cookie: str = "") -> None:
        self.jar: SimpleCookie = SimpleCookie()
        for part in filter(None, cookie.split("; ")):
            name, _, value = part.partition("=")
            self.jar[name] = value
        self.address = client_address(os.getpid(), next(_addresses))

    def send(self, path: str, data: dict[str, Any] | None = None) -> Any:
        client = _browser()
        client.cookies = self.jar  # the client keeps the response's cookies in it
        if data is None:
            return client.get(path, HTTP_X_FORWARDED_FOR=self.address)
        return client.post(path, data, HTTP_X_FORWARDED_FOR=self.address)


def _expect(response: Any, status: int, what: str) -> str:
    if response.status_code != status:
        raise SystemExit(f"{what}: HTTP {response.status_code} {response.get('Location', '')}, expected {status}")
    return response.content.decode()


def _timed(person: Person, path: str, data: dict[str, Any] | None = None, *, status: int = 200) -> tuple[float, int]:
    """The time of one GET (or POST of ``data``), in ms, and its number of SQL queries."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = person.send(path, data)
        elapsed = (time.perf_counter() - started) * 1000
    _expect(response, status, f"{'GET' if data is None else 'POST'} {path}")
    return elapsed, len(queries.captured_queries)


def _summary(samples: list[tuple[float, int]]) -> ServerTime:
    times = [ms for ms, _ in samples]
    # The most queries seen: a count that varied would show as the larger one.
    return ServerTime(
        median_ms=statistics.median(times), p95_ms=percentile(times, 0.95), queries=max(q for _, q in samples)
    )


def page_times(requests: list[tuple[str, str]], runs: int) -> ServerTime:
    """``runs`` GETs going through the page's (path, cookie) pairs in turn."""
    people = {cookie: Person(cookie) for _, cookie in requests}
    # Warm-up: templates, first plans, caches, and each session's first
    # request (allauth records the session then), as under a long load.
    warm = {cookie: path for path, cookie in reversed(requests)}
    for cookie, path in [*warm.items(), *((c, p) for p, c in requests[:2])]:
        _expect(people[cookie].send(path), 200, path)
    samples = []
    for number in range(runs):
        path, cookie = requests[number % len(requests)]
        samples.append(_timed(people[cookie], path))
    return _summary(samples)


def login_times(emails: list[str], password: str) -> ServerTime:
    """The login POST of each account (the form read first, untimed)."""
    samples = []
    for email in emails:
        person = Person()
        page = _expect(person.send("/comptes/login/"), 200, "login page")
        fields = dict(hidden_fields(form_with(page, 'name="password"')))
        fields |= {"login": email, "password": password}
        samples.append(_timed(person, "/comptes/login/", fields, status=302))
    return _summary(samples)


def signup_times(site: str, number: int) -> ServerTime:
    samples = []
    path = f"/{site}/inscription/"
    for index in range(number):
        person = Person()
        page = _expect(person.send(path), 200, "sign-up form")
        fields = dict(hidden_fields(form_with(page, 'name="password1"')))
        fields |= {**SIGNUP_FIELDS, "email": f"inprocess-{os.getpid()}-{index}@example.org"}
        samples.append(_timed(person, path, fields, status=302))
    return _summary(samples)


def registration_times(registrations: list[tuple[str, str]]) -> ServerTime:
    """The confirming POST of each household's request (the page and the
    review before it untimed)."""
    samples = []
    for cookie, path in registrations:
        person = Person(cookie)
        form = form_with(_expect(person.send(path), 200, path), 'name="people"')
        fields: dict[str, Any] = dict(hidden_fields(form))
        fields |= {"people": checkbox_values(form, "people")[:1], "places": "famille", "step": "revoir"}
        review = _expect(person.send(path, fields), 200, "review").split('id="recapitulatif"', 1)[-1]
        confirm: dict[str, Any] = {}
        for name, value in hidden_fields(form_with(review, 'value="confirmer"')):
            confirm.setdefault(name, []).append(value)
        confirm["step"] = "confirmer"
        samples.append(_timed(person, path, confirm, status=302))
    return _summary(samples)


def measure(plan: dict[str, Any], runs: int) -> dict[str, Any]:
    if settings.DEBUG:
        raise SystemExit("DEBUG is on: server times are measured with the production settings.")
    clas = plan["largest_clas"]
    result: dict[str, Any] = {"pages": {}, "register_by_query": {}}
    for page in pages(plan):
        started = time.perf_counter()
        result["pages"][page.name] = asdict(page_times(page.requests, runs))
        print(f"  in-process: {page.name} ({time.perf_counter() - started:.1f} s)", flush=True)
    for query in plan["register_queries"]:
        path = f"{reverse('agents:register', kwargs={'site': clas})}?{urlencode({'q': query})}"
        timing = page_times([(path, cookie) for cookie in plan["manager_cookies"][:2]], max(runs // 2, 5))
        result["register_by_query"][query] = asdict(timing)
    with override_settings(ROOT_URLCONF="bench.urls"):
        empty = reverse("bench-empty", kwargs={"site": clas})
        result["pages"][BACKOFFICE_FIXED_NAME] = asdict(
            page_times([(empty, cookie) for cookie in plan["manager_cookies"][:2]], runs)
        )
    spare = plan["spare_accounts"]
    started = time.perf_counter()
    result["login"] = asdict(login_times(spare[:10], plan["password"]))
    result["login_crowded"] = asdict(login_times([plan["crowded_account"]] * 5, plan["password"]))
    result["login_fresh"] = asdict(login_times(spare[10:15], plan["password"]))
    result["signup"] = asdict(signup_times(clas, 5))
    if plan["spare_registrations"]:
        result["registration"] = asdict(registration_times(plan["spare_registrations"]))
    print(f"  in-process: logins, sign-ups, registrations ({time.perf_counter() - started:.1f} s)", flush=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Server time and SQL queries of each scenario, in-process.")
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    plan = json.loads(args.plan.read_text())
    args.out.write_text(json.dumps(measure(plan, args.runs), indent=1))


if __name__ == "__main__":
    main()
