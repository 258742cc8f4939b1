"""Many households at once on real concurrent connections: the lock on the
activity row decides, never a count read earlier."""

import random
import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection, connections, transaction

from alphasierra.activities.errors import RegistrationRefusedError
from alphasierra.activities.models import Participant, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.services._common import activity_lock
from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.services.waiting import offer_accept, offers_expire, waitlist_offer
from alphasierra.activities.tests.making import activity_make, households
from alphasierra.agents.models import Agent, Relative
from alphasierra.audit.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite has no row locks and serialises whole writes: the race is run on
    # PostgreSQL, where the portal runs in production.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row-level locks (PostgreSQL)"),
]

# Threads, each with its own connection: enough to keep the lock contended,
# few enough for a shared server's max_connections.
WORKERS = 24


def run_concurrently(actions: list[Callable[[], object]]) -> list[str]:
    """Run the actions on WORKERS threads released together; the outcome of
    each is "done", "refused" (RegistrationRefusedError) or the name of any
    other exception."""
    outcomes: list[str] = ["?"] * len(actions)
    todo = list(enumerate(actions))
    lock = threading.Lock()
    start = threading.Barrier(WORKERS)

    def worker() -> None:
        try:
            start.wait()
            while True:
                with lock:
                    if not todo:
                        return
                    index, action = todo.pop(0)
                try:
                    action()
                    outcomes[index] = "done"
                except RegistrationRefusedError:
                    outcomes[index] = "refused"
                except Exception as error:  # the test reports any other failure
                    outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def families_of(sizes: list[int]) -> list[Agent]:
    """Approved households of the given sizes (the agent and up to 3 children)."""
    agents = households(len(sizes), start=1000)
    Relative.objects.bulk_create(
        Relative(
            agent=agent, kind="child", last_name=agent.last_name, first_name=f"Enfant{n}", birth_date=date(2017, 1, n)
        )
        for agent, size in zip(agents, sizes, strict=True)
        for n in range(2, size)
    )
    return agents


def people_of(agent: Agent, size: int) -> list[str | int]:
    people: list[str | int] = [SELF]
    people += agent.relatives.values_list("pk", flat=True)
    return people[:size]


def asking(activity_id: int, agent: Agent, people: list[str | int]) -> Callable[[], object]:
    return lambda: registration_request(
        activity_id=activity_id, agent=agent, people=people, accept_partial=False, by=agent.user
    )


def test_200_households_for_the_last_10_places(cast):
    activity = activity_make(capacity=12)
    (early,) = households(1)
    registration_request(
        activity_id=activity.pk, agent=early, people=people_of(early, 2), accept_partial=False, by=early.user
    )
    draw = random.Random(7)  # noqa: S311 - a repeatable draw, not a secret
    sizes = [draw.randint(1, 4) for _ in range(200)]
    agents = families_of(sizes)
    asks = [asking(activity.pk, agent, people_of(agent, size)) for agent, size in zip(agents, sizes, strict=True)]

    outcomes = run_concurrently(asks)

    assert outcomes == ["done"] * 200
    assert places_taken(activity_id=activity.pk) <= 12
    # Replayed in the order the lock let them in, the requests that fit are
    # exactly those confirmed, and the others wait in that order.
    arrivals = list(
        Registration.objects.filter(activity=activity)
        .exclude(agent=early)
        .order_by("pk")
        .prefetch_related("participants")
    )
    assert arrivals == sorted(arrivals, key=lambda r: (r.created_at, r.pk))
    free, expected = 10, []
    for registration in arrivals:
        size = len(registration.participants.all())
        fits = size <= free
        free -= size if fits else 0
        expected.append(Registration.State.CONFIRMED if fits else Registration.State.WAITING)
    assert [r.state for r in arrivals] == expected
    confirmed_people = Participant.objects.filter(registration__activity=activity, state="confirmed").count()
    assert confirmed_people == 12 - free
    assert Participant.objects.filter(registration__activity=activity, state="offered").count() == 0


def test_cancellations_acceptances_and_expiries_at_once(cast):
    """Ten confirmed households cancel while the waiting ones accept their
    offers and the expiry job runs: offers go in arrival order, nobody twice,
    no place lost nor counted twice."""
    activity = activity_make(capacity=10)
    agents = households(40, start=2000)
    registrations = [
        registration_request(activity_id=activity.pk, agent=agent, people=[SELF], accept_partial=False, by=agent.user)
        for agent in agents
    ]
    holders, queue = registrations[:10], registrations[10:]
    assert {r.state for r in holders} == {"confirmed"}
    assert {r.state for r in queue} == {"waiting"}

    def cancel(registration: Registration) -> Callable[[], object]:
        return lambda: registration_cancel(
            registration_id=registration.pk, participant_ids=None, by=registration.agent.user
        )

    def accept_when_offered(registration: Registration) -> Callable[[], object]:
        def accept() -> None:
            for _attempt in range(500):
                if Registration.objects.filter(pk=registration.pk, state="offered").exists():
                    offer_accept(registration_id=registration.pk, by=registration.agent.user)
                    return
                threading.Event().wait(0.01)

        return accept

    def expire_all() -> None:
        for pause in (0.3, 0.7):
            threading.Event().wait(pause)
            offers_expire(now=activity.ends_at)  # every offer made so far is past due

    actions: list[Callable[[], object]] = [cancel(r) for r in holders]
    actions += [accept_when_offered(r) for r in queue[:15]]
    actions.append(expire_all)
    random.Random(3).shuffle(actions)  # noqa: S311 - a repeatable order, not a secret

    outcomes = run_concurrently(actions)

    assert {o for o in outcomes if o not in ("done", "refused")} == set()
    taken = places_taken(activity_id=activity.pk)
    assert taken <= 10
    # No place lost: under the lock, nothing is left to offer.
    with transaction.atomic():
        assert waitlist_offer(activity=activity_lock(activity.pk)) == 0
    waiting = Registration.objects.filter(activity=activity, state="waiting").count()
    assert taken == 10 or waiting == 0
    # Counted once: each request's state sums up its one person's.
    for registration in Registration.objects.filter(activity=activity).prefetch_related("participants"):
        (person,) = registration.participants.all()
        assert person.state == registration.state
    # Offers went in arrival order, and never twice to the same request.
    offered = list(
        AuditEvent.objects.filter(action="activity.offered", data__activity=activity.pk)
        .order_by("pk")
        .values_list("data__registration", flat=True)
    )
    assert offered  # ten places were freed
    assert len(offered) == len(set(offered))
    assert offered == [r.pk for r in queue[: len(offered)]]
    # Which interleavings this run exercised (shown with -s).
    print(
        {
            a: AuditEvent.objects.filter(action=f"activity.{a}").count()
            for a in ("offered", "offer_accepted", "offer_expired")
        }
    )
