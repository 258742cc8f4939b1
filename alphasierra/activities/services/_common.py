"""What the registration and waiting-list services share: the lock on the
activity, the state of a request summed up from its people, the household's
e-mails."""

from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.mail.services import message_queue
from alphasierra.organisations.generations import public_pages_changed

# Under the activity's lock, rows are checked field by field only: Django
# checks a conditional constraint with one query each, which would lengthen
# the time every other household waits for the lock; the database enforces
# the same constraints on the write. The foreign keys were read under the lock.
LOCKED_EXCLUDE = ["activity", "agent", "requested_by", "registration", "relative", "ended_by"]


def activity_lock(activity_id: int) -> Activity:
    """The activity row, locked until the end of the transaction: every service
    that takes or frees places starts here, then counts the places taken under
    the lock (``places.places_taken``), never with a count read earlier. Two
    requests for the last places thus run one after the other (the way pretix
    locks its quotas).

    The site's public pages show the places left: they are renewed once the
    caller's transaction commits."""
    activity = Activity.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=activity_id)
    public_pages_changed(activity.organisation)
    return activity


def registration_locked(registration_id: int) -> tuple[Activity, Registration]:
    """The activity of a request, then the request itself, both locked, always in
    this order so that two services never wait on each other."""
    activity_id = Registration.objects.values_list("activity_id", flat=True).get(pk=registration_id)
    activity = activity_lock(activity_id)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("agent__user", "agent__clas")
        .get(pk=registration_id)
    )
    registration.activity = activity
    return activity, registration


def registration_refresh_state(registration: Registration) -> None:
    """Sum up the request's state from its people's: an offer waits for an
    answer first; then the request waits while anyone in it waits (nobody is
    told « inscrit » while part of the household is on the list); it is
    cancelled once nobody is left."""
    counts = registration.participants.aggregate(
        offered=Count("pk", filter=Q(state=Participant.State.OFFERED)),
        waiting=Count("pk", filter=Q(state=Participant.State.WAITING)),
        confirmed=Count("pk", filter=Q(state=Participant.State.CONFIRMED)),
    )
    if counts["offered"]:
        state = Registration.State.OFFERED
    elif counts["waiting"]:
        state = Registration.State.WAITING
    elif counts["confirmed"]:
        state = Registration.State.CONFIRMED
    else:
        state = Registration.State.CANCELLED
    registration.state = state
    if state != Registration.State.OFFERED:
        registration.offer_expires_at = None
    if state == Registration.State.CANCELLED and registration.cancelled_at is None:
        registration.cancelled_at = timezone.now()
    registration.full_clean(exclude=LOCKED_EXCLUDE, validate_constraints=False)
    registration.save(update_fields=["state", "offer_expires_at", "cancelled_at"])


def request_url(registration: Registration) -> str:
    """The absolute address of the request's page in « Mes inscriptions »,
    where the household accepts or lets go an offer."""
    try:
        path = reverse("my-activities:request", kwargs={"pk": registration.pk})
    except NoReverseMatch:  # the account pages' routes are not installed
        path = "/comptes/inscriptions/"
    return f"{settings.PORTAL_URL}{path}"


def household_mail(registration: Registration, template: str, **context: Any) -> None:
    """An e-mail to the household about its request, in the outbox of the
    caller's transaction."""
    activity = registration.activity
    people = list(registration.participants.all())
    message_queue(
        to=registration.agent.user.email,
        template=template,
        context={
            "activity": activity,
            "registration": registration,
            "people": people,
            "confirmed": [p for p in people if p.state == Participant.State.CONFIRMED],
            "offered": [p for p in people if p.state == Participant.State.OFFERED],
            "waiting": [p for p in people if p.state == Participant.State.WAITING],
            "request_url": request_url(registration),
            **context,
        },
        organisation=activity.organisation,
    )
