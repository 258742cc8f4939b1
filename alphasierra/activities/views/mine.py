from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alphasierra.activities import access
from alphasierra.activities.calendars import feed_token
from alphasierra.activities.errors import ActivityStateError, RegistrationRefusedError
from alphasierra.activities.models import Activity, CalendarFeed, Participant, Registration
from alphasierra.activities.selectors.listing import my_requests, request_detail
from alphasierra.activities.services.registration import registration_cancel
from alphasierra.activities.services.waiting import offer_accept, offer_release
from alphasierra.http import AuthenticatedRequest
from alphasierra.once.decorators import form_once


@login_required
def my_registrations(request: AuthenticatedRequest) -> HttpResponse:
    """« Mes inscriptions »: every request of the household, on every site."""
    registrations = my_requests(access.access_own_registrations(user=request.user))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(
            reverse("my-activities:feed", kwargs={"user_id": request.user.pk, "token": feed_token(feed)})
        )
        if feed is not None
        else ""
    )
    context = {"registrations": registrations, "feed_url": feed_url}
    return render(request, "activities/my_registrations.html", context)


@login_required
def registration_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A request's page: its status, who holds a place, and what the household
    may do now (accept or release an offer, cancel). The offer e-mail links here."""
    registration = request_detail(access.access_own_registration(user=request.user, pk=pk))
    activity = registration.activity
    live = [p for p in registration.participants.all() if p.state != Participant.State.CANCELLED]
    context = {
        "registration": registration,
        "live_count": len(live),
        # The service has the last word; the buttons show only where it would agree.
        "may_cancel": bool(live)
        and activity.state in (Activity.State.PUBLISHED, Activity.State.CLOSED)
        and timezone.now() < activity.registration_closes_at,
    }
    return render(request, "activities/registration.html", context)


def _back(registration: Registration) -> HttpResponse:
    return redirect("my-activities:request", pk=registration.pk)


@login_required
@require_POST
@form_once
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Cancel the whole request, or the place of one person (``participant``)."""
    registration = access.access_own_registration(user=request.user, pk=pk)
    participant_ids: list[int] | None = None
    chosen = request.POST.get("participant", "")
    if chosen:
        participant = registration.participants.filter(pk=int(chosen) if chosen.isdigit() else 0).first()
        if participant is None:
            raise Http404
        participant_ids = [participant.pk]
    try:
        registration_cancel(registration_id=registration.pk, participant_ids=participant_ids, by=request.user)
    except (RegistrationRefusedError, ActivityStateError) as error:
        messages.warning(request, str(error.message))
    else:
        messages.success(
            request,
            _("La place est annulée.") if participant_ids else _("Votre demande est annulée."),
        )
    return _back(registration)


@login_required
@require_POST
@form_once
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """« Accepter »: the places offered become the household's."""
    registration = access.access_own_registration(user=request.user, pk=pk)
    try:
        offer_accept(registration_id=registration.pk, by=request.user)
    except (RegistrationRefusedError, ActivityStateError) as error:
        messages.warning(request, str(error.message))
    else:
        messages.success(request, _("Vous avez accepté les places proposées : votre inscription est confirmée."))
    return _back(registration)


@login_required
@require_POST
@form_once
def release(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """« Libérer ma place »: the places offered pass to the next household."""
    registration = access.access_own_registration(user=request.user, pk=pk)
    try:
        offer_release(registration_id=registration.pk, by=request.user)
    except (RegistrationRefusedError, ActivityStateError) as error:
        messages.warning(request, str(error.message))
    else:
        messages.success(request, _("Les places proposées sont libérées pour le foyer suivant."))
    return _back(registration)
