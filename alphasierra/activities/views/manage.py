"""The managers' pages of their activities (« Gestion › Activités »): the
list, creating and editing, the detail with its households, and the steps of
an activity's life."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alphasierra.activities import access
from alphasierra.activities.errors import ActivityStateError
from alphasierra.activities.forms.activity import ActivityForm, CancelForm
from alphasierra.activities.forms.manage import ActivityFilterForm
from alphasierra.activities.models import Activity
from alphasierra.activities.places import with_places
from alphasierra.activities.rosters import roster_user_ids, with_accounts
from alphasierra.activities.selectors.registrations import activity_roster
from alphasierra.activities.services.publishing import (
    LIVE_STATES,
    activity_cancel,
    activity_close,
    activity_create,
    activity_duplicate,
    activity_publish,
    activity_update,
)
from alphasierra.audit.services import audit_record
from alphasierra.http import AuthenticatedRequest
from alphasierra.listing import listing
from alphasierra.once.decorators import form_once
from alphasierra.organisations.decorators import backoffice


def _to_detail(activity: Activity) -> HttpResponse:
    return redirect("activities:manage-detail", site=activity.organisation.slug, pk=activity.pk)


def _refused(request: AuthenticatedRequest, activity: Activity, error: ActivityStateError) -> HttpResponse:
    # Someone else acted first (another manager, another tab): nothing was done, and the manager is told.
    messages.warning(request, str(error.message))
    return _to_detail(activity)


@backoffice
def activity_list(request: AuthenticatedRequest) -> HttpResponse:
    activities = access.access_activities_to_manage(user=request.user, organisation=request.organisation)

    def rows(filters: dict[str, str]) -> QuerySet[Activity]:
        chosen = activities.filter(state=filters["etat"]) if filters.get("etat") else activities
        return with_places(chosen).order_by("-starts_at", "-pk")

    listed = listing(request, ActivityFilterForm(request.GET), rows)
    return render(request, "activities/manage/list.html", listed.context())


@backoffice
@form_once
def activity_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    access.access_activities_to_manage(user=request.user, organisation=organisation)
    form = ActivityForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(organisation=organisation, values=form.values(), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(request, _("L'activité est créée, en brouillon : publiez-la quand elle est prête."))
            return _to_detail(activity)
    return render(request, "activities/manage/form.html", {"form": form, "activity": None})


@backoffice
@form_once
def activity_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    activity = access.access_activity_to_manage(user=request.user, organisation=organisation, pk=pk)
    if activity.state not in LIVE_STATES:
        messages.warning(request, _("Une activité annulée ou passée ne peut plus être modifiée."))
        return _to_detail(activity)
    form = ActivityForm(request.POST or None, organisation=organisation, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(activity_id=activity.pk, organisation=organisation, values=form.values(), by=request.user)
        except ActivityStateError as error:
            return _refused(request, activity, error)
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(request, _("L'activité est mise à jour."))
            return _to_detail(activity)
    return render(request, "activities/manage/form.html", {"form": form, "activity": activity})


@backoffice
def activity_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    activity = access.access_activity_to_manage(user=request.user, organisation=organisation, pk=pk)
    roster = with_accounts(activity_roster(activity=activity))
    if included := roster_user_ids(roster):
        # The households' names, families and ages: a consultation each agent can see.
        audit_record(
            action="activity.participants_viewed",
            actor=request.user,
            organisation=organisation,
            data={"activity": activity.pk, "title": activity.title},
            included=included,
        )
    context = {"activity": activity, "roster": roster, "live": activity.state in LIVE_STATES}
    return render(request, "activities/manage/detail.html", context)


@backoffice
@require_POST
@form_once
def activity_copy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    activity = access.access_activity_to_manage(user=request.user, organisation=organisation, pk=pk)
    copy = activity_duplicate(activity_id=activity.pk, organisation=organisation, by=request.user)
    messages.success(request, _("Voici la copie, en brouillon : ajustez ses dates avant de la publier."))
    return redirect("activities:manage-edit", site=organisation.slug, pk=copy.pk)


@backoffice
@require_POST
@form_once
def activity_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    activity = access.access_activity_to_manage(user=request.user, organisation=organisation, pk=pk)
    try:
        activity_publish(activity_id=activity.pk, organisation=organisation, by=request.user)
    except ActivityStateError as error:
        return _refused(request, activity, error)
    messages.success(request, _("L'activité est publiée sur le site."))
    return _to_detail(activity)


@backoffice
@require_POST
@form_once
def activity_end_registrations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    activity = access.access_activity_to_manage(user=request.user, organisation=organisation, pk=pk)
    try:
        activity_close(activity_id=activity.pk, organisation=organisation, by=request.user)
    except ActivityStateError as error:
        return _refused(request, activity, error)
    messages.success(request, _("Les inscriptions sont closes."))
    return _to_detail(activity)


@backoffice
@form_once
def activity_call_off(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    activity = access.access_activity_to_manage(user=request.user, organisation=organisation, pk=pk)
    if activity.state not in LIVE_STATES:
        messages.warning(request, _("Cette activité est déjà annulée ou passée."))
        return _to_detail(activity)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity_cancel(
                activity_id=activity.pk, organisation=organisation, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ActivityStateError as error:
            return _refused(request, activity, error)
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            messages.success(request, _("L'activité est annulée ; chaque famille inscrite ou en attente est prévenue."))
            return _to_detail(activity)
    return render(request, "activities/manage/cancel.html", {"activity": activity, "form": form})
