"""The managers' pages about an activity's households: register one by hand
(a request by phone), remove some of its people, the files of the list and
the sign-in sheet (« feuille d'émargement »)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alphasierra.activities import access
from alphasierra.activities.eligibility import household_candidates, household_refusal
from alphasierra.activities.errors import RegistrationRefusedError
from alphasierra.activities.exports import roster_csv, roster_xlsx
from alphasierra.activities.forms.manage import AgentSearchForm, HouseholdForm, RemoveForm
from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.rosters import roster_user_ids, signin_people, with_accounts
from alphasierra.activities.selectors.registrations import activity_roster
from alphasierra.activities.services.registration import registration_cancel, registration_request
from alphasierra.agents.search import search_agents
from alphasierra.audit.services import audit_record
from alphasierra.http import AuthenticatedRequest
from alphasierra.once.decorators import form_once
from alphasierra.organisations.decorators import backoffice

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Households a manager may register by hand: while the activity is on its site.
OPEN_STATES = (Activity.State.PUBLISHED, Activity.State.CLOSED)
SEARCH_RESULTS = 20


def _to_detail(activity: Activity) -> HttpResponse:
    return redirect("activities:manage-detail", site=activity.organisation.slug, pk=activity.pk)


@backoffice
@form_once
def household_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    activity = access.access_activity_to_manage(user=request.user, organisation=organisation, pk=pk)
    if activity.state not in OPEN_STATES:
        messages.warning(request, _("Une famille s'inscrit à une activité publiée, ni annulée ni passée."))
        return _to_detail(activity)
    agents = access.access_households_to_add(activity=activity)
    chosen = request.POST.get("agent") or request.GET.get("agent") or ""
    if not chosen:
        search = AgentSearchForm(request.GET if "q" in request.GET else None)
        found = []
        if search.is_valid():
            matching = search_agents(agents, search.cleaned_data["q"]).select_related("user")
            found = list(matching.order_by("last_name", "first_name", "pk")[:SEARCH_RESULTS])
        context = {"activity": activity, "search": search, "found": found, "limit": SEARCH_RESULTS}
        return render(request, "activities/manage/add_search.html", context)
    agent = agents.filter(pk=int(chosen) if chosen.isdigit() else 0).select_related("user", "clas").first()
    if agent is None:
        raise Http404
    if request.method == "GET":
        # The family's names and birth dates, read for a phone request.
        audit_record(action="agent.viewed", actor=request.user, organisation=organisation, subject=agent.user)
    refusal = household_refusal(activity=activity, agent=agent)
    candidates = household_candidates(activity=activity, agent=agent)
    form = HouseholdForm(request.POST or None, candidates=candidates, organisation=organisation)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            registration = registration_request(
                activity_id=activity.pk,
                agent=agent,
                people=form.people_keys(),
                accept_partial=form.cleaned_data["accept_partial"],
                by=request.user,
            )
        except RegistrationRefusedError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            if registration.state == Registration.State.CONFIRMED:
                messages.success(request, _("La famille de %(name)s est inscrite.") % {"name": agent.full_name})
            else:
                messages.info(
                    request, _("La famille de %(name)s est sur la liste d'attente.") % {"name": agent.full_name}
                )
            return _to_detail(activity)
    context = {"activity": activity, "agent": agent, "form": form, "refusal": refusal}
    return render(request, "activities/manage/add_household.html", context)


@backoffice
@form_once
def household_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    registration = access.access_registration_to_manage(user=request.user, organisation=organisation, pk=pk)
    activity = registration.activity
    people = list(registration.participants.exclude(state=Participant.State.CANCELLED).order_by("position", "pk"))
    if not people:
        messages.warning(request, _("Cette demande est déjà annulée."))
        return _to_detail(activity)
    form = RemoveForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            registration_cancel(
                registration_id=registration.pk,
                participant_ids=form.participant_ids(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except RegistrationRefusedError as error:
            messages.warning(request, str(error.message))
        else:
            messages.success(request, _("C'est fait ; la famille est prévenue par e-mail."))
        return _to_detail(activity)
    context = {"activity": activity, "registration": registration, "form": form}
    return render(request, "activities/manage/remove.html", context)


def _record(
    request: AuthenticatedRequest, activity: Activity, action: str, included: list[int], **data: object
) -> None:
    audit_record(
        action=action,
        actor=request.user,
        organisation=request.organisation,
        data={"activity": activity.pk, "title": activity.title, **data},
        included=included,
    )


@backoffice
def activity_export(request: AuthenticatedRequest, pk: str, fmt: str) -> HttpResponse:
    activity = access.access_activity_to_manage(user=request.user, organisation=request.organisation, pk=int(pk))
    roster = with_accounts(activity_roster(activity=activity))
    _record(request, activity, "activity.exported", roster_user_ids(roster), format=fmt)
    filename = f"activite-{activity.pk}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        return HttpResponse(roster_csv(roster), content_type="text/csv; charset=utf-8", headers=headers)
    return HttpResponse(roster_xlsx(roster), content_type=XLSX_TYPE, headers=headers)


@backoffice
def activity_signin_sheet(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = access.access_activity_to_manage(user=request.user, organisation=request.organisation, pk=pk)
    people = signin_people(activity=activity)
    if people:
        included = sorted({person.participant.registration.agent.user_id for person in people})
        _record(request, activity, "activity.participants_viewed", included, sheet=True)
    return render(request, "activities/manage/signin.html", {"activity": activity, "people": people})
