"""The activities of the access matrix's world (``tests/test_access_matrix``):
for A (Sud-Ouest) and B (Nord), an activity in each state and a household's
request in each state, made through the services; and what a successful POST
to each of the managers' forms sends and must have done."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.activities.forms.activity import ActivityForm
from alphasierra.activities.models import Activity, Registration
from alphasierra.activities.services.publishing import activity_cancel, activity_close
from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.agents.models import Agent
from alphasierra.organisations.models import Organisation
from alphasierra.testing import make_agents

Objects = dict[str, dict[str, dict[str, Any]]]


def _activities(clas: Organisation, manager: User) -> dict[str, int]:
    made = {
        "draft": new_activity(clas, manager, publish=False),
        "published": new_activity(clas, manager),
        "closed": new_activity(clas, manager),
        "cancelled": new_activity(clas, manager),
        "past": new_activity(clas, manager, publish=False, days=-3),
    }
    activity_close(activity_id=made["closed"].pk, organisation=clas, by=manager)
    activity_cancel(activity_id=made["cancelled"].pk, organisation=clas, by=manager, reason="Météo")
    # Past: what the daily job leaves of an activity once over.
    Activity.objects.filter(pk=made["past"].pk).update(state=Activity.State.PAST)
    return {state: activity.pk for state, activity in made.items()}


def _requests(clas: Organisation, manager: User, start: int) -> dict[str, int]:
    """Two places: two confirmed, two waiting; the second leaves, and its
    place is offered to the first waiting."""
    activity = new_activity(clas, manager, capacity=2, title="Liste complète")
    agents = make_agents(4, clas, Agent.State.APPROVED, start)
    made = [
        registration_request(activity_id=activity.pk, agent=a, people=[SELF], accept_partial=False, by=a.user)
        for a in agents
    ]
    registration_cancel(registration_id=made[1].pk, participant_ids=None, by=agents[1].user)
    return {"confirmed": made[0].pk, "cancelled": made[1].pk, "offered": made[2].pk, "waiting": made[3].pk}


def activities_world(users: dict[str, User], orgs: dict[str, Organisation], zoe: Agent) -> Objects:
    sud_ouest, nord = orgs["sud-ouest"], orgs["nord"]
    bruno, nord_manager = users["bruno"], users["nord_manager"]
    activities = {"A": _activities(sud_ouest, bruno), "B": _activities(nord, nord_manager)}
    requests = {"A": _requests(sud_ouest, bruno, 5000), "B": _requests(nord, nord_manager, 5100)}
    return {
        "activity": {state: {v: activities[v][state] for v in ("A", "B")} for state in activities["A"]},
        "activity_request": {state: {v: requests[v][state] for v in ("A", "B")} for state in requests["A"]},
        # Who a manager registers by phone: a household of the CLAS with no request yet.
        "activity_household": {"-": {"sud-ouest": zoe.pk, "nord": users["karim"].agent.pk}},
    }


def world_has_every_state(objects: Objects) -> bool:
    activities = all(
        set(Activity.objects.filter(pk__in=pks.values()).values_list("state", flat=True)) == {state}
        for state, pks in objects["activity"].items()
    )
    requests = all(
        set(Registration.objects.filter(pk__in=pks.values()).values_list("state", flat=True)) == {state}
        for state, pks in objects["activity_request"].items()
    )
    return activities and requests


# --- What a successful POST sends, and what it must have done -----------------

NEW_TITLE = "Activité du tableau"


def _new(cell: Any) -> dict[str, Any]:
    start = timezone.localtime() + timedelta(days=40)
    moment = "%Y-%m-%dT%H:%M"
    return {
        "title": NEW_TITLE,
        "place": "Salle des fêtes",
        "starts_at": start.strftime(moment),
        "ends_at": (start + timedelta(hours=3)).strftime(moment),
        "registration_opens_at": timezone.localtime().strftime(moment),
        "registration_closes_at": (start - timedelta(days=3)).strftime(moment),
        "capacity": "10",
        "price_agent": "0",
        "price_spouse": "0",
        "price_child": "0",
        "statuses": ["active", "retired"],
        "employers": ["dgac", "meteo_france"],
        "admitted": ["agent", "spouse", "children"],
    }


def _activity(cell: Any) -> Activity:
    return Activity.objects.select_related("organisation").get(pk=cell.pk)


def _edit(cell: Any, form_data: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    activity = _activity(cell)
    return {**form_data(ActivityForm(organisation=activity.organisation, activity=activity)), "place": "Ailleurs"}


def _household(cell: Any) -> dict[str, Any]:
    households = cell.world.objects["activity_household"]["-"]
    return {"agent": households[_activity(cell).organisation.slug], "people": [SELF]}


def _remove(cell: Any) -> dict[str, Any]:
    registration = Registration.objects.get(pk=cell.pk)
    people = registration.participants.exclude(state="cancelled").values_list("pk", flat=True)
    return {"participants": [str(pk) for pk in people], "reason": "Doublon"}


def activity_actions(form_data: Callable[[Any], dict[str, Any]]) -> dict[str, tuple[Callable, Callable]]:
    prefix = "<slug:site>/gestion/activites/"
    return {
        f"{prefix}nouvelle/": (_new, lambda c: Activity.objects.filter(title=NEW_TITLE).exists()),
        f"{prefix}<int:pk>/modifier/": (
            lambda c: _edit(c, form_data),
            lambda c: _activity(c).place == "Ailleurs",
        ),
        f"{prefix}<int:pk>/dupliquer/": (
            lambda c: {},
            lambda c: Activity.objects.filter(title=f"{_activity(c).title} (copie)").exists(),
        ),
        f"{prefix}<int:pk>/publier/": (lambda c: {}, lambda c: _activity(c).state == "published"),
        f"{prefix}<int:pk>/clore/": (lambda c: {}, lambda c: _activity(c).state == "closed"),
        f"{prefix}<int:pk>/annuler/": (lambda c: {"reason": "Météo"}, lambda c: _activity(c).state == "cancelled"),
        f"{prefix}<int:pk>/ajouter/": (
            _household,
            lambda c: Registration.objects.filter(activity_id=c.pk, agent_id=_household(c)["agent"]).exists(),
        ),
        f"{prefix}demandes/<int:pk>/retirer/": (
            _remove,
            lambda c: Registration.objects.get(pk=c.pk).state == "cancelled",
        ),
    }
