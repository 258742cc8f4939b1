from datetime import date

from django.db.models import Q, QuerySet

from alphasierra.accounts.models import User
from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation

# What an agent is shown of what others did with their data.
ABOUT_ME_ACTIONS = ("agent.viewed", "agent.updated", "agent.family_updated", "agent.approved", "agent.rejected")
# Events about many people at once, found through their ``included`` rows.
EXPORT_ACTIONS = (
    "register.exported",
    "association.exported",
    "activity.participants_viewed",
    "activity.exported",
)


def audit_events(
    *,
    organisation: Organisation | None = None,
    actor: str = "",
    subject: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "organisation", "subject").order_by("-created_at", "-pk")
    if organisation is not None:
        events = events.filter(organisation=organisation)
    if actor:
        events = events.filter(actor__email__icontains=actor)
    if subject:
        events = events.filter(subject__email__icontains=subject)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_about(user: User, *, limit: int = 100) -> QuerySet[AuditEvent]:
    """Who consulted, changed or exported this person's data, and when
    (« Qui a consulté mes données »): in one query, however many exports."""
    exports = AuditEvent.included.through.objects.filter(user=user).values("auditevent_id")
    return (
        AuditEvent.objects.filter(
            Q(subject=user, action__in=ABOUT_ME_ACTIONS) | Q(pk__in=exports, action__in=EXPORT_ACTIONS)
        )
        .exclude(actor=user)
        .select_related("actor", "actor__agent", "organisation")
        .order_by("-created_at", "-pk")[:limit]
    )


def audit_history(user: User, *, limit: int | None = 200) -> QuerySet[AuditEvent]:
    """« Historique de mon compte »: every event about this person's account,
    the exports that included them too (``limit=None``: all of them)."""
    exports = AuditEvent.included.through.objects.filter(user=user).values("auditevent_id")
    events = (
        AuditEvent.objects.filter(Q(subject=user) | Q(pk__in=exports))
        .select_related("actor", "actor__agent", "organisation")
        .order_by("-created_at", "-pk")
    )
    return events if limit is None else events[:limit]
