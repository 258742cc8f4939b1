"""Server time of the CLAS register (« Référentiel agents »): search, filters,
sort and pagination, on the largest CLAS.

    SECRET_KEY=bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_alphasierra \\
        uv run --frozen python -m bench.register --runs 50 [--explain]

Each scenario is one GET of /<clas>/gestion/agents/ through django.test.Client,
as a site manager with a second factor: the whole Django stack (middleware,
session, access checks, SQL, template) without a network or a WSGI server. The
database connection is kept between requests, as CONN_MAX_AGE does in
production. For the search scenarios the selector alone (the page of 50 and
the count) is timed too, to tell database time from rendering.

Needs a database filled by ``python -m bench.generate``. Writes only a site
manager account (bench-manager@alpha-sierra.invalid), its role and its TOTP.
"""

import argparse
import math
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alphasierra.settings")
django.setup()

from allauth.mfa.utils import is_mfa_enabled  # noqa: E402 - needs django.setup()
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, QuerySet  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from alphasierra.accounts.models import User  # noqa: E402
from alphasierra.agents.forms.register import RegisterFilterForm  # noqa: E402
from alphasierra.agents.models import Agent  # noqa: E402
from alphasierra.agents.search import normalise  # noqa: E402
from alphasierra.agents.selectors import register_list  # noqa: E402
from alphasierra.listing import PAGE_SIZE  # noqa: E402
from alphasierra.organisations.models import Organisation, Role  # noqa: E402
from alphasierra.testing import PortalClient, with_second_factor  # noqa: E402

MANAGER_EMAIL = "bench-manager@alpha-sierra.invalid"
# The budget of the register search (bench/README.md, « Budgets »): server time.
TARGET_P95_MS = 20.0
MIN_AGENTS = 1_000  # below this the numbers say nothing about 100,000 agents


@dataclass(frozen=True)
class Scenario:
    name: str
    params: dict[str, str]
    what: str

    @property
    def is_search(self) -> bool:
        return bool(self.params.get("q"))


@dataclass(frozen=True)
class Timing:
    runs: int
    median_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    results: int
    queries: int
    request: Timing
    selector: Timing


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with 50 runs the p95 is the 48th fastest, a
    time that was really measured."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(action: Callable[[], object], runs: int) -> Timing:
    action()  # warm-up: first-use costs (template loading, plans, caches)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(runs=runs, median_ms=statistics.median(samples), p95_ms=percentile(samples, 0.95))


def largest_clas() -> Organisation:
    clas = (
        Organisation.objects.filter(kind=Organisation.Kind.CLAS)
        .annotate(n=Count("agents"))
        .order_by("-n", "slug")
        .first()
    )
    if clas is None or clas.n < MIN_AGENTS:
        raise SystemExit(
            "Too few agents: fill the database first with `python -m bench.generate --agents 100000` (or `make bench`)."
        )
    return clas


def rare_name_query(clas: Organisation) -> str:
    """The rarest surname of the CLAS, typed as a person would: lower case,
    without accents."""
    row = Agent.objects.filter(clas=clas).values("last_name").annotate(n=Count("pk")).order_by("n", "last_name").first()
    if row is None:
        raise SystemExit(f"{clas.slug} has no agents.")
    return normalise(row["last_name"]).split()[0]


def scenarios(clas: Organisation) -> list[Scenario]:
    return [
        Scenario("first page", {}, "no filter, sorted by name: count + page 1 of the whole CLAS"),
        Scenario("search surname", {"q": "lefev"}, "fragment of « Lefèvre » typed without accent"),
        Scenario("search first name", {"q": "helene"}, "« helene » finds Hélène, Marie-Hélène"),
        Scenario("search two words", {"q": "martin marie"}, "both words must match (AND of two LIKEs)"),
        Scenario("search rare name", {"q": rare_name_query(clas)}, "rarest surname of the CLAS"),
        Scenario("search 2 letters", {"q": "le"}, "too short for trigrams: worst case, matches most rows"),
        Scenario("filter", {"etat": "approved", "situation": "retired"}, "approved retirees"),
        Scenario("sort", {"tri": "-inscription"}, "most recent registrations first"),
        Scenario("late page", {"page": "50"}, "page 50 (OFFSET 2450), sorted by name"),
    ]


def manager_of(clas: Organisation) -> User:
    """A site manager of the CLAS with TOTP set up, as the back-office requires;
    created once, reused afterwards."""
    user, created = User.objects.get_or_create(email=MANAGER_EMAIL)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Role.objects.get_or_create(user=user, organisation=clas, kind=Role.Kind.SITE_MANAGER)
    if not is_mfa_enabled(user):
        with_second_factor(user)
    return user


def selector_for(clas: Organisation, params: dict[str, str]) -> QuerySet[Agent]:
    """The register's queryset for these GET parameters, as the view builds it."""
    query = QueryDict(mutable=True)
    query.update(params)
    return register_list(Agent.objects.filter(clas=clas), RegisterFilterForm(query).filters())


def page_offset(scenario: Scenario, results: int) -> int:
    """The OFFSET of the page asked for, clamped to the last page as get_page() does."""
    page = max(1, int(scenario.params.get("page", "1")))
    return (min(page, max(1, math.ceil(results / PAGE_SIZE))) - 1) * PAGE_SIZE


def run(clas: Organisation, client: Client, scenario: Scenario, runs: int) -> Result:
    url = reverse("agents:register", kwargs={"site": clas.slug})

    def request() -> str:
        # secure=True: production redirects plain HTTP (SECURE_SSL_REDIRECT).
        response = client.get(url, scenario.params, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{scenario.name}: HTTP {response.status_code} {response.get('Location', '')}")
        return response.content.decode()

    request()  # the first request of a session does some one-off writes
    with CaptureQueriesContext(connection) as captured:
        page_html = request()
    queryset = selector_for(clas, scenario.params)
    results = queryset.count()
    if f"{results} agent" not in page_html:
        print(f"  warning: the page does not show « {results} agents »", file=sys.stderr)
    offset = page_offset(scenario, results)

    def select() -> None:
        # What the paginator asks of the database: the count, then one page.
        queryset.all().count()
        list(queryset.all()[offset : offset + PAGE_SIZE])

    return Result(
        scenario=scenario,
        results=results,
        queries=len(captured.captured_queries),
        request=measure(request, runs),
        selector=measure(select, runs),
    )


def explain(clas: Organisation, scenario: Scenario) -> None:
    """EXPLAIN ANALYZE of the exact SQL the selector sends (count, then the page)."""
    queryset = selector_for(clas, scenario.params)
    offset = page_offset(scenario, queryset.count())
    with CaptureQueriesContext(connection) as captured:
        queryset.all().count()
        list(queryset.all()[offset : offset + PAGE_SIZE])
    print(f"\n=== {scenario.name}: {scenario.params}")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            print(f"--- {query['sql']}")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            for (line,) in cursor.fetchall():
                print(f"    {line}")


def report(clas: Organisation, results: list[Result]) -> None:
    total = Agent.objects.filter(clas=clas).count()
    print(f"\nRegister of {clas.name} ({clas.slug}), {total} agents. Times in ms; N runs after one warm-up.")
    print("request = the whole GET; selector = its count + page queries alone; rest = request - selector (medians)")
    header = (
        f"{'scenario':<18} {'query':<32} {'results':>7} {'SQL':>3} {'N':>3} "
        f"{'request med':>11} {'p95':>6}  {'selector med':>12} {'p95':>6}  {'rest':>6}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        query = "&".join(f"{key}={value}" for key, value in result.scenario.params.items()) or "(none)"
        request, selector = result.request, result.selector
        print(
            f"{result.scenario.name:<18} {query:<32} {result.results:>7} {result.queries:>3} {request.runs:>3} "
            f"{request.median_ms:>11.1f} {request.p95_ms:>6.1f}  {selector.median_ms:>12.1f} {selector.p95_ms:>6.1f}  "
            f"{request.median_ms - selector.median_ms:>6.1f}"
        )

    searches = [result for result in results if result.scenario.is_search]
    if not searches:
        return
    print(f"\nTarget: p95 under {TARGET_P95_MS:.0f} ms for a search in the largest CLAS.")
    for result in searches:
        verdict = "met" if result.request.p95_ms < TARGET_P95_MS else "MISSED"
        share = result.selector.median_ms / result.request.median_ms
        print(
            f"  {result.scenario.name:<18} p95 {result.request.p95_ms:6.1f} ms  {verdict:<6}"
            f"  (search SQL {share:.0%} of the median request)"
        )
    held = all(result.request.p95_ms < TARGET_P95_MS for result in searches)
    print(f"Target {'met for every' if held else 'MISSED for at least one'} search scenario.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time the CLAS register's search, filters and pages.")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per scenario, after one warm-up")
    parser.add_argument("--only", action="append", help="run only the scenarios with this name (repeatable)")
    parser.add_argument("--explain", action="store_true", help="then print EXPLAIN ANALYZE of each scenario's SQL")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be positive")

    # Timing with DEBUG on would measure query logging and debug templates.
    if settings.DEBUG:
        raise SystemExit("DEBUG is on: run the benchmark with DEBUG off, as in production.")
    overrides: dict[str, object] = {"ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"]}
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        # The manifest storage needs collectstatic; without it every {% static %}
        # fails. Plain storage resolves the same names, without the hash lookup.
        overrides["STORAGES"] = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        print("No collected static files: using StaticFilesStorage instead of the manifest storage.")
    override_settings(**overrides).enable()
    # Whitenoise warns once that STATIC_ROOT is missing; it serves nothing here.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)

    database = connection.settings_dict
    print(f"Database: {connection.vendor} {database.get('NAME')} on {database.get('HOST') or 'local'}")
    # Other work on the machine shows in the p95 first: say how busy it was.
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    if connection.vendor != "postgresql":
        print("Warning: not PostgreSQL; the target is about PostgreSQL.", file=sys.stderr)
    clas = largest_clas()
    # A session that passed the second factor, as the back-office requires.
    client = PortalClient()
    client.force_login(manager_of(clas))

    chosen = [scenario for scenario in scenarios(clas) if not args.only or scenario.name in args.only]
    results = []
    for scenario in chosen:
        print(f"  {scenario.name}: {scenario.what}", flush=True)
        results.append(run(clas, client, scenario, args.runs))
    if results:
        report(clas, results)
        print(f"Load average {os.getloadavg()[0]:.2f} at the end.")
    if args.explain:
        for scenario in chosen:
            explain(clas, scenario)


if __name__ == "__main__":
    main()
