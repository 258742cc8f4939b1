from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alphasierra.accounts.models import User
from alphasierra.activities import access
from alphasierra.activities.calendars import calendar_of
from alphasierra.activities.eligibility import household_candidates, household_refusal
from alphasierra.activities.errors import ActivityStateError, RegistrationRefusedError
from alphasierra.activities.forms.household import HouseholdForm
from alphasierra.activities.models import Activity, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.selectors.listing import live_requests_by_activity, site_activities
from alphasierra.activities.services.registration import registration_request
from alphasierra.agents.models import Agent
from alphasierra.agents.selectors import agent_for_user
from alphasierra.french.grammar import agree_label
from alphasierra.http import PortalRequest
from alphasierra.once.decorators import form_once

PER_PAGE = 20


def registration_open(activity: Activity) -> bool:
    now = timezone.now()
    return (
        activity.state == Activity.State.PUBLISHED
        and activity.registration_opens_at <= now < activity.registration_closes_at
    )


def _refusals(agent: Agent | None) -> Callable[[Activity], str | None]:
    """``household_refusal`` for each activity of a list, asked once per
    distinct audience: what it weighs (the site, the statuses and employers
    admitted) repeats from one activity to the next, and the list's queries
    must not grow with its length."""
    known: dict[tuple[Any, ...], str | None] = {}

    def refusal(activity: Activity) -> str | None:
        if agent is None:
            return None
        key = (
            activity.organisation_id,
            activity.for_active,
            activity.for_retired,
            activity.for_dgac,
            activity.for_meteo_france,
        )
        if key not in known:
            known[key] = household_refusal(activity=activity, agent=agent)
        return known[key]

    return refusal


def _agent_of(request: PortalRequest) -> Agent | None:
    user = request.user
    return agent_for_user(user) if isinstance(user, User) else None


def activity_list(request: PortalRequest) -> HttpResponse:
    """« Activités » of a CLAS or an association: for a logged-in agent, what
    they may register for and why not otherwise; for a visitor, what the site offers."""
    organisation = request.organisation
    listed = site_activities(access.access_activities_listed(organisation=organisation))
    coming = listed.filter(state__in=(Activity.State.PUBLISHED, Activity.State.CLOSED))
    page = Paginator(coming, PER_PAGE).get_page(request.GET.get("page"))
    agent = _agent_of(request)
    own = live_requests_by_activity(agent=agent, activity_ids=[a.pk for a in page])
    refusal = _refusals(agent)
    rows = [
        {
            "activity": activity,
            "places_left": max(activity.capacity - activity.places_taken, 0),  # type: ignore[attr-defined]
            "open": registration_open(activity),
            "refusal": refusal(activity),
            "own": own.get(activity.pk),
        }
        for activity in page
    ]
    past = list(listed.filter(state=Activity.State.PAST).order_by("-starts_at", "-pk")[:PER_PAGE])
    context = {"page": page, "rows": rows, "past": past, "agent": agent, "query": ""}
    return render(request, "activities/site_list.html", context)


@form_once
def activity_detail(request: PortalRequest, pk: int) -> HttpResponse:
    """An activity's page, and the household's request: who takes part (each
    with their eligibility), the total, then its confirmation."""
    activity = access.access_activity_shown(organisation=request.organisation, pk=pk)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agent = _agent_of(request)
    own = live_requests_by_activity(agent=agent, activity_ids=[activity.pk]).get(activity.pk)
    is_open = registration_open(activity)
    refusal = household_refusal(activity=activity, agent=agent) if agent is not None else None
    asks = agent is not None and is_open and refusal is None and own is None
    candidates = household_candidates(activity=activity, agent=agent) if asks and agent is not None else []
    form = HouseholdForm(request.POST if request.method == "POST" and asks else None, candidates=candidates)
    status = 200
    if request.method == "POST":
        if not asks:
            # Registered meanwhile, deadline passed, or not admitted: the page says which.
            status = 400
        elif form.is_valid() and form.confirming and agent is not None:
            try:
                registration = registration_request(
                    activity_id=activity.pk,
                    agent=agent,
                    people=form.people_keys(),
                    accept_partial=form.accept_partial(),
                    by=agent.user,
                )
            except RegistrationRefusedError as error:
                form.add_error("people" if error.field in (None, "people") else None, str(error.message))
                status = 400
            except ActivityStateError as error:
                messages.warning(request, str(error.message))
                return redirect("activities:detail", site=activity.organisation.slug, pk=activity.pk)
            else:
                messages.success(request, _state_message(registration.state, agent))
                return redirect("my-activities:request", pk=registration.pk)
        elif not form.is_valid():
            status = 400
    context = {
        "activity": activity,
        "agent": agent,
        "own": own,
        "open": is_open,
        "not_yet": activity.state == Activity.State.PUBLISHED and timezone.now() < activity.registration_opens_at,
        "refusal": refusal,
        "form": form,
        "asks": asks,
        "reviewing": request.method == "POST" and asks and form.is_bound and not form.errors,
        "places_left": max(activity.capacity - places_taken(activity_id=activity.pk), 0),
    }
    return render(request, "activities/detail.html", context, status=status)


def _state_message(state: str, agent: Agent) -> str:
    if state == Registration.State.CONFIRMED:
        return _("Votre demande est confirmée : les places sont à vous.")
    if state == Registration.State.OFFERED:
        return _("Une place vous est proposée : acceptez-la avant la date indiquée.")
    # Never « inscrit » while any of the household waits.
    return agree_label(
        _("Votre demande est sur la liste d'attente : vous serez prévenu(e) par e-mail si des places se libèrent."),
        agent.civility,
    )


def activity_calendar(request: PortalRequest, pk: int) -> HttpResponse:
    """The activity as an iCalendar file, to add it to one's calendar."""
    activity = access.access_activity_shown(organisation=request.organisation, pk=pk)
    response = HttpResponse(calendar_of([activity], name=activity.title), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activite-{activity.pk}.ics"'
    return response
