from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alphasierra.activities.calendars import calendar_of, feed_matches
from alphasierra.activities.models import Activity, CalendarFeed, Registration
from alphasierra.activities.services.calendar import calendar_feed_renew
from alphasierra.http import AuthenticatedRequest, PortalRequest
from alphasierra.once.decorators import form_once


def feed(request: PortalRequest, user_id: int, token: str) -> HttpResponse:
    """The person's confirmed activities, for a calendar application: no
    login, the secret address is the key (any wrong one is a 404)."""
    found = CalendarFeed.objects.filter(user_id=user_id, user__is_active=True).first()
    if found is None or not feed_matches(found, token):
        raise Http404
    activities = (
        Activity.objects.filter(
            registrations__agent__user_id=user_id, registrations__state=Registration.State.CONFIRMED
        )
        .select_related("organisation")
        .order_by("starts_at", "pk")
        .distinct()
    )
    response = HttpResponse(
        calendar_of(activities, name=_("Mes activités — Alpha Sierra")), content_type="text/calendar; charset=utf-8"
    )
    # The address is a secret: no shared cache keeps the answer.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
@form_once
def feed_renew(request: AuthenticatedRequest) -> HttpResponse:
    """Make the calendar's address, or a new one that ends the old one."""
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    calendar_feed_renew(user=request.user)
    if had_one:
        messages.success(request, _("Votre calendrier a une nouvelle adresse : l'ancienne ne fonctionne plus."))
    else:
        messages.success(request, _("L'adresse de votre calendrier est prête : copiez-la dans votre agenda."))
    return redirect("my-activities:list")
