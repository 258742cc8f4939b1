"""An activity's life, by its managers: created as a draft, edited,
duplicated, published, registrations closed, cancelled; past once over; its
confirmed households reminded a few days before."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User
from alphasierra.activities.errors import ActivityStateError
from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.services import waiting
from alphasierra.audit.services import audit_record
from alphasierra.mail.services import message_queue
from alphasierra.organisations.generations import public_pages_changed
from alphasierra.organisations.links import site_url
from alphasierra.organisations.models import Organisation

# What a manager sets; the rest (state, dates of the life, author) moves through the services.
EDITABLE_FIELDS = (
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "price_agent",
    "price_spouse",
    "price_child",
    "for_active",
    "for_retired",
    "for_dgac",
    "for_meteo_france",
    "agent_admitted",
    "spouse_admitted",
    "children_admitted",
    "child_min_age",
    "child_max_age",
)
# An activity still being prepared or open: the ones a manager may change.
LIVE_STATES = (Activity.State.DRAFT, Activity.State.PUBLISHED, Activity.State.CLOSED)
TITLE_MAX = 150
LIVE_REGISTRATION = (Registration.State.CONFIRMED, Registration.State.WAITING, Registration.State.OFFERED)


def _check_values(values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")


def _check_prices(activity: Activity) -> None:
    # The franc Pacifique has no cents: a price in XPF is a whole number.
    if activity.organisation.currency != Organisation.Currency.XPF:
        return
    errors = {
        name: _("Le franc Pacifique n'a pas de centimes : indiquez un nombre entier.")
        for name in ("price_agent", "price_spouse", "price_child")
        if Decimal(getattr(activity, name)) % 1
    }
    if errors:
        raise ValidationError(errors)


def _locked(activity_id: int, organisation: Organisation) -> Activity:
    # The activity row is the lock of its places (see ``services.registration``):
    # a change of capacity or state waits for the requests being taken, and they for it.
    return (
        Activity.objects.select_for_update()
        .select_related("organisation")
        .get(pk=activity_id, organisation=organisation)
    )


def audit_activity(action: str, activity: Activity, by: User | None, **data: Any) -> None:
    audit_record(
        action=action,
        actor=by,
        organisation=activity.organisation,
        data={"activity": activity.pk, "title": activity.title, **data},
    )


def _audit_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def activity_create(*, organisation: Organisation, values: Mapping[str, Any], by: User) -> Activity:
    """A new activity of a CLAS or an association, as a draft nobody sees but its managers."""
    _check_values(values)
    activity = Activity(organisation=organisation, created_by=by, state=Activity.State.DRAFT, **values)
    activity.full_clean()
    _check_prices(activity)
    activity.save()
    audit_activity("activity.created", activity, by)
    return activity


@transaction.atomic
def activity_update(*, activity_id: int, organisation: Organisation, values: Mapping[str, Any], by: User) -> Activity:
    """Change what the managers set. The capacity never goes below the places
    held; raised, the new places are offered to the waiting list at once."""
    _check_values(values)
    activity = _locked(activity_id, organisation)
    if activity.state not in LIVE_STATES:
        raise ActivityStateError("not_editable", _("Une activité annulée ou passée ne peut plus être modifiée."))
    capacity_before = activity.capacity
    changed = {}
    for name, value in values.items():
        before = getattr(activity, name)
        if before != value:
            changed[name] = {"before": _audit_value(before), "after": _audit_value(value)}
            setattr(activity, name, value)
    if not changed:
        return activity
    activity.full_clean()
    _check_prices(activity)
    if "capacity" in changed and activity.capacity < capacity_before:
        taken = places_taken(activity_id=activity.pk)
        if activity.capacity < taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(taken)s places sont déjà attribuées : le nombre de places ne peut pas être inférieur."
                    )
                    % {"taken": taken}
                }
            )
    activity.save(update_fields=list(changed))
    audit_activity("activity.updated", activity, by, changes=changed)
    public_pages_changed(activity.organisation)
    if activity.capacity > capacity_before and activity.state != Activity.State.DRAFT:
        waiting.waitlist_offer(activity=activity)
    return activity


@transaction.atomic
def activity_duplicate(*, activity_id: int, organisation: Organisation, by: User) -> Activity:
    """A new draft with the same description, dates, places, prices and rules,
    and no registration: the manager adjusts the dates before publishing it."""
    source = Activity.objects.select_related("organisation").get(pk=activity_id, organisation=organisation)
    values = {name: getattr(source, name) for name in EDITABLE_FIELDS}
    values["title"] = str(_("%(title)s (copie)") % {"title": source.title})[:TITLE_MAX]
    copy = Activity(organisation=organisation, created_by=by, state=Activity.State.DRAFT, **values)
    copy.full_clean()
    copy.save()
    audit_activity("activity.duplicated", copy, by, source=source.pk)
    return copy


def _move(activity_id: int, organisation: Organisation, allowed: tuple[str, ...], code: str, message: Any) -> Activity:
    activity = _locked(activity_id, organisation)
    if activity.state not in allowed:
        # Someone else moved it first (two managers, two tabs): nothing changes.
        raise ActivityStateError(code, message)
    return activity


@transaction.atomic
def activity_publish(*, activity_id: int, organisation: Organisation, by: User) -> Activity:
    """A draft becomes visible on its site; registrations open at ``registration_opens_at``."""
    activity = _move(
        activity_id,
        organisation,
        (Activity.State.DRAFT,),
        "not_draft",
        _("Cette activité n'est plus un brouillon : elle a déjà été publiée, close ou annulée."),
    )
    if activity.ends_at <= timezone.now():
        raise ActivityStateError(
            "over", _("Cette activité est déjà terminée : modifiez ses dates avant de la publier.")
        )
    activity.state = Activity.State.PUBLISHED
    activity.published_at = timezone.now()
    activity.save(update_fields=["state", "published_at"])
    audit_activity("activity.published", activity, by)
    public_pages_changed(activity.organisation)
    return activity


@transaction.atomic
def activity_close(*, activity_id: int, organisation: Organisation, by: User) -> Activity:
    """Registrations close before the deadline: the activity stays on its site,
    its households keep their places and offers under way may still be accepted."""
    activity = _move(
        activity_id,
        organisation,
        (Activity.State.PUBLISHED,),
        "not_published",
        _("Les inscriptions à cette activité ne sont plus ouvertes."),
    )
    activity.state = Activity.State.CLOSED
    activity.save(update_fields=["state"])
    audit_activity("activity.closed", activity, by)
    public_pages_changed(activity.organisation)
    return activity


@transaction.atomic
def activity_cancel(*, activity_id: int, organisation: Organisation, by: User, reason: str) -> Activity:
    """The activity will not take place: every request still alive ends, and
    each household registered, offered places or waiting is told why by e-mail."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation : il est envoyé aux inscrits.")})
    activity = _move(
        activity_id,
        organisation,
        LIVE_STATES,
        "not_live",
        _("Cette activité est déjà annulée ou passée."),
    )
    now = timezone.now()
    activity.state = Activity.State.CANCELLED
    activity.cancelled_at = now
    activity.cancellation_reason = reason
    activity.full_clean()
    activity.save(update_fields=["state", "cancelled_at", "cancellation_reason"])
    registrations = list(
        activity.registrations.filter(state__in=LIVE_REGISTRATION).select_related("agent__user").order_by("pk")
    )
    Participant.objects.filter(registration__in=registrations).exclude(state=Participant.State.CANCELLED).update(
        state=Participant.State.CANCELLED,
        ending=Participant.Ending.ACTIVITY_CANCELLED,
        ending_reason=reason,
        ended_at=now,
        ended_by=by,
    )
    Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
        state=Registration.State.CANCELLED, cancelled_at=now, offer_expires_at=None
    )
    for registration in registrations:
        message_queue(
            to=registration.agent.user.email,
            template="activity_called_off",
            context={
                "activity": activity,
                "reason": reason,
                "was_waiting": registration.state == Registration.State.WAITING,
                "site_url": site_url(organisation),
            },
            organisation=organisation,
        )
    audit_activity("activity.cancelled", activity, by, reason=reason, households=len(registrations))
    public_pages_changed(activity.organisation)
    return activity
