"""Activities at scale: 2,000 activities across the 16 organisations, over the
agents of ``bench.generate``, then the server time of the activities' reads and
of a household's request, on PostgreSQL.

    SECRET_KEY=bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_alphasierra \\
        uv run --frozen python -m bench.activities generate --activities 2000
    ... python -m bench.activities run --runs 50

``generate`` writes activities (and the households already registered for
them) with ``bulk_create``; ``run`` times, each with its SQL count:

- the activity list of the largest CLAS: the page ``/<clas>/activites/`` as an
  agent of that CLAS when its route is installed, and in any case its read
  (published activities to come, with their places taken, in one query);
- « Mes inscriptions »: ``registrations_of_agent`` of an agent with requests;
- a manager's lists of one activity: ``activity_roster``;
- the registration: ``registration_request`` of a new household (committed,
  as in production), on an activity with places, then on a full one (waiting list).

A benchmark, not a test: nothing here runs in CI and nothing asserts.
"""

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alphasierra.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from alphasierra.accounts.models import User  # noqa: E402
from alphasierra.activities.models import Activity, Participant, Registration  # noqa: E402
from alphasierra.activities.places import with_places  # noqa: E402
from alphasierra.activities.selectors.registrations import activity_roster, position_of, registrations_of_agent  # noqa: E402
from alphasierra.activities.services.registration import SELF, registration_request  # noqa: E402
from alphasierra.agents.models import Agent, Relative  # noqa: E402
from alphasierra.associations.models import AssociationLink  # noqa: E402
from alphasierra.organisations.models import Organisation  # noqa: E402
from bench.register import Timing, largest_clas, measure  # noqa: E402

STATES = [("published", 70), ("closed", 10), ("past", 10), ("draft", 5), ("cancelled", 5)]
TITLES = ["Sortie au zoo", "Arbre de Noël", "Week-end à la montagne", "Journée pêche", "Spectacle", "Séjour d'été"]
PAGE = 50


def _organisations() -> list[Organisation]:
    return list(Organisation.objects.exclude(kind=Organisation.Kind.NATIONAL).order_by("position"))


def generate(count: int, *, seed: int = 1) -> None:
    """``count`` activities spread over the CLAS (by their agents) and the
    associations, with households registered on the published ones."""
    rng = random.Random(seed)
    organisations = _organisations()
    agents_of = {
        org.pk: list(Agent.objects.filter(clas=org, state=Agent.State.APPROVED).values_list("pk", flat=True))
        for org in organisations
        if org.is_clas
    }
    everyone = [pk for pks in agents_of.values() for pk in pks]
    if len(everyone) < 500:
        raise SystemExit("Too few agents: run `python -m bench.generate --agents 100000` first.")
    creator = User.objects.order_by("pk").first()
    with transaction.atomic():
        for org in organisations:
            if org.is_association:
                # About one agent in five visited each association's site.
                members = rng.sample(everyone, len(everyone) // 5)
                AssociationLink.objects.bulk_create(
                    (AssociationLink(agent_id=pk, association=org) for pk in members),
                    batch_size=5000,
                    ignore_conflicts=True,
                )
                agents_of[org.pk] = members
        weights = [len(agents_of[org.pk]) for org in organisations]
        now = timezone.now()
        activities = []
        for _ in range(count):
            org = rng.choices(organisations, weights)[0]
            starts_at = now + timedelta(days=rng.randint(-120, 300), hours=rng.randint(0, 10))
            state = rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0]
            if starts_at < now and state in ("published", "closed"):
                state = "past"
            activities.append(
                Activity(
                    organisation=org,
                    state=state,
                    title=rng.choice(TITLES),
                    place="Lieu",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=rng.choice([4, 8, 56])),
                    registration_opens_at=starts_at - timedelta(days=60),
                    registration_closes_at=starts_at - timedelta(days=3),
                    capacity=rng.randint(10, 120),
                    price_agent=Decimal(rng.choice([0, 10, 25])),
                    price_child=Decimal(rng.choice([0, 5])),
                    cancellation_reason="Météo" if state == "cancelled" else "",
                    created_by=creator,
                    published_at=None if state == "draft" else now,
                )
            )
        Activity.objects.bulk_create(activities, batch_size=1000)
        # All the households at once: two bulk inserts rather than two per activity.
        requests = []
        for activity in activities:
            if activity.state not in ("published", "closed", "past"):
                continue
            pool = agents_of[activity.organisation_id]
            chosen = rng.sample(pool, min(len(pool), rng.randint(0, activity.capacity // 2)))
            requests += [
                Registration(activity=activity, agent_id=pk, state="confirmed", created_at=now) for pk in chosen
            ]
        Registration.objects.bulk_create(requests, batch_size=5000)
        Participant.objects.bulk_create(
            (
                Participant(
                    registration=row,
                    kind="agent",
                    first_name="Prénom",
                    last_name="Nom",
                    price=row.activity.price_agent,
                    state="confirmed",
                )
                for row in requests
            ),
            batch_size=5000,
        )
        registrations = people = len(requests)
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) activities_activity, activities_registration, activities_participant, "
            "associations_associationlink"
        )
    print(f"Created {len(activities)} activities, {registrations} requests, {people} participants.")


def _timed(name: str, action: Callable[[], object], runs: int) -> tuple[str, int, Timing]:
    with CaptureQueriesContext(connection) as queries:
        action()
    return name, len(queries), measure(action, runs)


def run(runs: int) -> None:
    clas = largest_clas()
    rng = random.Random(2)
    soon = Activity.objects.filter(organisation=clas, state="published", starts_at__gt=timezone.now())
    print(f"{clas.slug}: {soon.count()} published activities to come, {Activity.objects.count()} in all.")

    def site_list() -> None:
        list(with_places(soon.order_by("starts_at", "pk"))[:PAGE])

    busy = Registration.objects.values("agent").annotate(n=Count("pk")).order_by("-n").first()
    agent = Agent.objects.get(pk=busy["agent"]) if busy else Agent.objects.filter(clas=clas).order_by("pk")[0]

    def mine() -> None:
        for registration in registrations_of_agent(agent=agent):
            (registration.activity.organisation.name, list(registration.participants.all()), position_of(registration))

    biggest = (
        Activity.objects.filter(state="published")
        .annotate(n=Count("registrations"))
        .order_by("-n")
        .select_related("organisation")[0]
    )

    def roster() -> None:
        activity_roster(activity=biggest)

    rows = [
        _timed("site list (read)", site_list, runs),
        _timed("mes inscriptions (read)", mine, runs),
        _timed(f"roster ({biggest.registrations.count()} requests)", roster, runs),
    ]
    try:
        path = reverse("activities:list", kwargs={"site": clas.slug})
    except NoReverseMatch:
        path = ""
    if path:
        client = Client()
        client.force_login(Agent.objects.filter(clas=clas, state="approved").order_by("pk")[0].user)

        def page() -> None:
            client.get(path, secure=True)

        rows.insert(0, _timed(f"site list (GET {path})", page, runs))

    open_one = soon.filter(registration_opens_at__lte=timezone.now(), registration_closes_at__gt=timezone.now())
    target = open_one.order_by("-capacity")[0]
    registered = set(Registration.objects.filter(activity=target).values_list("agent_id", flat=True))
    fresh = list(
        Agent.objects.filter(clas=clas, state="approved")
        .exclude(pk__in=registered)
        .select_related("user")[: 4 * runs + 8]
    )
    rng.shuffle(fresh)

    def ask_on(activity: Activity) -> Callable[[], object]:
        def ask() -> None:
            household = fresh.pop()
            children = list(Relative.objects.filter(agent=household).values_list("pk", flat=True))[:1]
            registration_request(
                activity_id=activity.pk,
                agent=household,
                people=[SELF, *children],
                accept_partial=False,
                by=household.user,
            )

        return ask

    Activity.objects.filter(pk=target.pk).update(capacity=10_000)
    rows.append(_timed("registration POST (service, fits)", ask_on(target), runs))
    Activity.objects.filter(pk=target.pk).update(capacity=1)
    rows.append(_timed("registration POST (service, waits)", ask_on(target), runs))

    print(f"{'scenario':<42} {'SQL':>4} {'N':>4} {'med ms':>8} {'p95 ms':>8}")
    for name, queries, timing in rows:
        print(f"{name:<42} {queries:>4} {timing.runs:>4} {timing.median_ms:>8.1f} {timing.p95_ms:>8.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Activities at scale.")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--activities", type=int, default=2000)
    gen.add_argument("--seed", type=int, default=1)
    timing = sub.add_parser("run")
    timing.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.command == "generate":
        generate(args.activities, seed=args.seed)
    else:
        run(args.runs)
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
