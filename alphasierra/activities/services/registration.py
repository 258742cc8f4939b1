"""A household's request for places, and its cancellation."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alphasierra.accounts.models import User
from alphasierra.activities.access import may_manage_activity
from alphasierra.activities.eligibility import AGENT_KEY, Candidate, household_candidates, household_refusal
from alphasierra.activities.errors import RegistrationRefusedError
from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.selectors.registrations import waiting_position
from alphasierra.activities.services._common import (
    LOCKED_EXCLUDE,
    activity_lock,
    household_mail,
    registration_locked,
    registration_refresh_state,
)
from alphasierra.activities.services.waiting import waitlist_offer
from alphasierra.agents.models import Agent
from alphasierra.audit.services import audit_record

# The agent themselves, among the people a request names (the others are Relative ids).
SELF = AGENT_KEY


def _window_refusal(activity: Activity, *, by_manager: bool) -> RegistrationRefusedError | None:
    now = timezone.now()
    if by_manager:
        # A request taken by phone: outside the window, but never for an
        # activity cancelled, finished or not yet published.
        if activity.state in (Activity.State.PUBLISHED, Activity.State.CLOSED) and now < activity.ends_at:
            return None
        return RegistrationRefusedError("closed", _("Cette activité ne prend plus de demandes."))
    if activity.state != Activity.State.PUBLISHED or now >= activity.registration_closes_at:
        return RegistrationRefusedError("closed", _("Les inscriptions à cette activité sont closes."))
    if now < activity.registration_opens_at:
        return RegistrationRefusedError("not_open", _("Les inscriptions à cette activité ne sont pas encore ouvertes."))
    return None


@transaction.atomic
def registration_request(
    *,
    activity_id: int,
    agent: Agent,
    people: Sequence[str | int],
    accept_partial: bool,
    by: User,
) -> Registration:
    """Ask for places for ``people`` (``SELF`` and/or ids of the agent's relatives).

    Under a lock on the activity row: every person is checked for eligibility
    (``activities.eligibility``), the window (unless ``by`` manages the
    activity: a request taken by phone), and the free places; the request is
    confirmed when its places fit, partly confirmed when ``accept_partial``
    allows, and waits otherwise, in arrival order. Raises RegistrationRefusedError."""
    activity = activity_lock(activity_id)
    by_manager = may_manage_activity(user=by, activity=activity)
    if not by_manager and by.pk != agent.user_id:
        raise RegistrationRefusedError("not_yours", _("Vous ne pouvez faire une demande que pour votre famille."))
    refused = _window_refusal(activity, by_manager=by_manager)
    if refused is not None:
        raise refused
    refusal = household_refusal(activity=activity, agent=agent)
    if refusal:
        raise RegistrationRefusedError("household", refusal)
    if Registration.objects.filter(activity=activity, agent=agent).exclude(state=Registration.State.CANCELLED).exists():
        raise RegistrationRefusedError(
            "already",
            _("Votre famille a déjà une demande pour cette activité : modifiez-la dans « Mes inscriptions »."),
        )
    chosen = _chosen(activity, agent, people)
    free = activity.capacity - places_taken(activity_id=activity.pk)
    if len(chosen) <= free:
        placed = len(chosen)
    elif accept_partial:
        placed = max(free, 0)
    else:
        placed = 0
    now = timezone.now()
    registration = Registration(
        activity=activity,
        agent=agent,
        state=Registration.State.CONFIRMED if placed == len(chosen) else Registration.State.WAITING,
        accept_partial=accept_partial,
        created_at=now,
        requested_by=by,
    )
    registration.full_clean(exclude=LOCKED_EXCLUDE, validate_constraints=False)
    registration.save()
    participants = [
        Participant(
            registration=registration,
            relative_id=None if candidate.key == SELF else candidate.key,
            kind=candidate.kind,
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            birth_date=candidate.birth_date,
            price=candidate.price,
            state=Participant.State.CONFIRMED if index < placed else Participant.State.WAITING,
            position=index,
        )
        for index, candidate in enumerate(chosen)
    ]
    for participant in participants:
        participant.full_clean(exclude=LOCKED_EXCLUDE, validate_constraints=False)
    Participant.objects.bulk_create(participants)
    position = waiting_position(registration=registration) if placed < len(chosen) else None
    audit_record(
        action="activity.requested",
        actor=by,
        organisation=activity.organisation,
        subject=agent.user,
        data={
            "activity": activity.pk,
            "registration": registration.pk,
            "confirmed": placed,
            "waiting": len(chosen) - placed,
            "position": position,
        },
    )
    registration.activity = activity
    household_mail(
        registration,
        "activity_confirmed" if position is None else "activity_waiting",
        position=position,
        by_manager=by_manager and by.pk != agent.user_id,
    )
    return registration


def _chosen(activity: Activity, agent: Agent, people: Sequence[str | int]) -> list[Candidate]:
    """The candidates named, in the family's order, each eligible."""
    if not people:
        raise RegistrationRefusedError("nobody", _("Choisissez au moins une personne."), field="people")
    candidates = household_candidates(activity=activity, agent=agent)
    wanted = {str(key) for key in people}
    known = {str(candidate.key) for candidate in candidates}
    if wanted - known:
        raise RegistrationRefusedError(
            "unknown", _("Cette personne ne fait pas partie de votre famille."), field="people"
        )
    chosen = [candidate for candidate in candidates if str(candidate.key) in wanted]
    for candidate in chosen:
        if not candidate.eligible:
            raise RegistrationRefusedError(
                "not_eligible",
                _("%(name)s ne peut pas participer : %(reason)s")
                % {"name": candidate.first_name, "reason": candidate.reason},
                field="people",
            )
    return chosen


@transaction.atomic
def registration_cancel(
    *,
    registration_id: int,
    participant_ids: Sequence[int] | None,
    by: User,
    reason: str = "",
) -> Registration:
    """End the places of some participants (``None``: the whole request).

    By the agent: before the deadline. By a manager of the activity: at any
    time, with a reason (removal), and the household is told by e-mail. Freed
    places are offered to the waiting list in the same transaction."""
    activity, registration = registration_locked(registration_id)
    own = registration.agent.user_id == by.pk
    removal = not own
    if removal and not may_manage_activity(user=by, activity=activity):
        raise RegistrationRefusedError("not_yours", _("Cette demande n'est pas la vôtre."))
    reason = reason.strip()
    if removal and not reason:
        raise RegistrationRefusedError("reason", _("Indiquez le motif du retrait."), field="reason")
    if activity.state in (Activity.State.CANCELLED, Activity.State.PAST):
        raise RegistrationRefusedError("finished", _("Cette activité est terminée ou annulée."))
    if own and timezone.now() >= activity.registration_closes_at:
        raise RegistrationRefusedError(
            "deadline",
            _("La date limite est passée : pour annuler, adressez-vous aux responsables de l'activité."),
        )
    live = registration.participants.exclude(state=Participant.State.CANCELLED)
    if participant_ids is not None:
        wanted = set(participant_ids)
        live = live.filter(pk__in=wanted)
        if not wanted or len(live) != len(wanted):
            raise RegistrationRefusedError(
                "unknown", _("Ces personnes ne sont plus inscrites à cette activité."), field="participants"
            )
    ending = list(live)
    if not ending:
        raise RegistrationRefusedError("already", _("Cette demande est déjà annulée."))
    now = timezone.now()
    for participant in ending:
        participant.state = Participant.State.CANCELLED
        participant.ending = Participant.Ending.REMOVED if removal else Participant.Ending.BY_AGENT
        participant.ending_reason = reason
        participant.ended_at = now
        participant.ended_by = by
        participant.full_clean(exclude=LOCKED_EXCLUDE, validate_constraints=False)
    Participant.objects.bulk_update(ending, ["state", "ending", "ending_reason", "ended_at", "ended_by"])
    registration_refresh_state(registration)
    audit_record(
        action="activity.participant_removed" if removal else "activity.cancelled_by_agent",
        actor=by,
        organisation=activity.organisation,
        subject=registration.agent.user,
        data={
            "activity": activity.pk,
            "registration": registration.pk,
            "participants": [p.pk for p in ending],
            "whole": registration.state == Registration.State.CANCELLED,
        },
    )
    household_mail(
        registration,
        "activity_removed" if removal else "activity_cancelled",
        ended=ending,
        reason=reason,
    )
    waitlist_offer(activity=activity)
    return registration
