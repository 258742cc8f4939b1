"""Offers of freed places to the waiting list, in arrival order."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from alphasierra.accounts.models import User
from alphasierra.activities.errors import RegistrationRefusedError
from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.selectors.registrations import waiting_queue
from alphasierra.activities.services._common import (
    activity_lock,
    household_mail,
    registration_locked,
    registration_refresh_state,
)
from alphasierra.audit.services import audit_record

# How long an offer holds its places, unless the deadline comes first.
OFFER_HOLD_HOURS = 48


def offer_deadline(activity: Activity, now: datetime) -> datetime:
    """48 hours, never past the registration deadline: near the activity, the
    household has less time, and the places are settled when lists close."""
    return min(now + timedelta(hours=OFFER_HOLD_HOURS), activity.registration_closes_at)


def waitlist_offer(*, activity: Activity) -> int:
    """Offer the free places to the first waiting requests that fit (all their
    waiting people, or as many as fit for a request accepting a partial
    place), each by e-mail, held until ``offer_expires_at``. The caller holds
    the lock on the activity row. Returns the number of requests offered."""
    now = timezone.now()
    if activity.state != Activity.State.PUBLISHED or now >= activity.registration_closes_at:
        return 0
    free = activity.capacity - places_taken(activity_id=activity.pk)
    if free <= 0:
        return 0
    queue = (
        waiting_queue(activity_id=activity.pk)
        .select_related("agent__user")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(state=Participant.State.WAITING).order_by("position", "pk"),
                to_attr="waiting_people",
            )
        )
    )
    expires_at = offer_deadline(activity, now)
    offered = 0
    # Locked one by one in order: a request cancelled meanwhile is skipped, and
    # never blocks the ones behind it.
    for registration in queue.select_for_update(of=("self",)):
        if free <= 0:
            break
        waiting: list[Participant] = registration.waiting_people
        if len(waiting) <= free:
            taken = waiting
        elif registration.accept_partial:
            taken = waiting[:free]
        else:
            continue  # « toute la famille ou personne »: the next request may fit
        for participant in taken:
            participant.state = Participant.State.OFFERED
        Participant.objects.bulk_update(taken, ["state"])
        # A request already offered part of its places keeps its rank for the
        # rest: what is added joins the same offer, and its delay starts again.
        registration.state = Registration.State.OFFERED
        registration.offer_expires_at = expires_at
        registration.save(update_fields=["state", "offer_expires_at"])
        registration.activity = activity
        audit_record(
            action="activity.offered",
            actor=None,
            organisation=activity.organisation,
            subject=registration.agent.user,
            data={
                "activity": activity.pk,
                "registration": registration.pk,
                "participants": [p.pk for p in taken],
                "until": expires_at.isoformat(),
            },
        )
        household_mail(registration, "activity_offered", expires_at=expires_at)
        free -= len(taken)
        offered += 1
    return offered


def _offered_people(registration: Registration) -> list[Participant]:
    return list(registration.participants.filter(state=Participant.State.OFFERED))


def _own_offer(registration_id: int, by: User) -> tuple[Activity, Registration, list[Participant]]:
    activity, registration = registration_locked(registration_id)
    if registration.agent.user_id != by.pk:
        raise RegistrationRefusedError("not_yours", _("Cette demande n'est pas la vôtre."))
    people = _offered_people(registration)
    if registration.state != Registration.State.OFFERED or not people:
        raise RegistrationRefusedError("no_offer", _("Aucune place ne vous est proposée pour cette demande."))
    assert registration.offer_expires_at is not None  # noqa: S101 - an offer has an expiry (database constraint)
    if registration.offer_expires_at <= timezone.now():
        raise RegistrationRefusedError(
            "expired", _("Cette offre a expiré : les places sont passées à la demande suivante.")
        )
    return activity, registration, people


@transaction.atomic
def offer_accept(*, registration_id: int, by: User) -> Registration:
    """The household takes the places offered: they become confirmed."""
    activity, registration, people = _own_offer(registration_id, by)
    for participant in people:
        participant.state = Participant.State.CONFIRMED
    Participant.objects.bulk_update(people, ["state"])
    registration_refresh_state(registration)
    audit_record(
        action="activity.offer_accepted",
        actor=by,
        organisation=activity.organisation,
        subject=registration.agent.user,
        data={"activity": activity.pk, "registration": registration.pk, "participants": [p.pk for p in people]},
    )
    household_mail(registration, "activity_confirmed", position=None, by_manager=False)
    return registration


def _end_offer(registration: Registration, people: list[Participant], *, ending: str, by: User | None) -> None:
    now = timezone.now()
    for participant in people:
        participant.state = Participant.State.CANCELLED
        participant.ending = ending
        participant.ended_at = now
        participant.ended_by = by
    Participant.objects.bulk_update(people, ["state", "ending", "ended_at", "ended_by"])
    registration_refresh_state(registration)


@transaction.atomic
def offer_release(*, registration_id: int, by: User) -> Registration:
    """The household lets the places offered go (« Libérer ma place »): they
    pass to the next request that fits."""
    activity, registration, people = _own_offer(registration_id, by)
    _end_offer(registration, people, ending=Participant.Ending.RELEASED, by=by)
    audit_record(
        action="activity.offer_released",
        actor=by,
        organisation=activity.organisation,
        subject=registration.agent.user,
        data={"activity": activity.pk, "registration": registration.pk, "participants": [p.pk for p in people]},
    )
    household_mail(registration, "activity_cancelled", ended=people, reason="")
    waitlist_offer(activity=activity)
    return registration


def offers_expire(*, now: datetime | None = None) -> int:
    """The frequent job: offers not taken in time end, and their places pass on.

    Each activity in its own transaction, under its lock: an offer accepted in
    the meantime is read again under the lock and left alone."""
    now = now or timezone.now()
    activity_ids = sorted(
        set(
            Registration.objects.filter(state=Registration.State.OFFERED, offer_expires_at__lte=now).values_list(
                "activity_id", flat=True
            )
        )
    )
    expired = 0
    for activity_id in activity_ids:
        with transaction.atomic():
            activity = activity_lock(activity_id)
            due = (
                Registration.objects.select_for_update(of=("self",))
                .select_related("agent__user")
                .filter(activity=activity, state=Registration.State.OFFERED, offer_expires_at__lte=now)
            )
            for registration in due.order_by("created_at", "pk"):
                registration.activity = activity
                people = _offered_people(registration)
                _end_offer(registration, people, ending=Participant.Ending.EXPIRED, by=None)
                audit_record(
                    action="activity.offer_expired",
                    actor=None,
                    organisation=activity.organisation,
                    subject=registration.agent.user,
                    data={
                        "activity": activity.pk,
                        "registration": registration.pk,
                        "participants": [p.pk for p in people],
                    },
                )
                household_mail(registration, "activity_offer_expired", ended=people)
                expired += 1
            waitlist_offer(activity=activity)
    return expired
