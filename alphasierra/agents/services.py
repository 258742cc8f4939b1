"""State changes of an agent's registration: sign-up, e-mail confirmation,
approval or rejection by a site manager of the CLAS, reminders and purges."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.search import search_text_for
from alphasierra.audit.models import AuditEvent
from alphasierra.audit.services import audit_anonymise, audit_record
from alphasierra.mail.services import message_queue, outbox_forget
from alphasierra.organisations.links import site_url
from alphasierra.organisations.models import Organisation, Role

REMINDER_AFTER = timedelta(days=7)
CONFIRMATION_VALID_FOR = timedelta(days=3)
# Unambiguous characters (no 0/O, 1/I/L): the code is typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
UNCONFIRMED_KEPT_FOR = timedelta(days=30)
# At most one « tentative d'inscription » e-mail per address in this time:
# the sign-up form must not be a way to flood someone's mailbox.
SIGNUP_ATTEMPT_MAIL_EVERY = timedelta(days=1)


class AgentStateError(Exception):
    """The registration is no longer in the state the action expects (someone
    else decided first, or the link was used already)."""

    def __init__(self, agent: Agent) -> None:
        super().__init__(f"Agent {agent.pk} is {agent.state}")
        self.agent = agent


class FamilyRuleError(ValidationError):
    """The family an action would leave breaks a rule: two spouses, or more
    children listed than the agent declared. Nothing was changed."""


def family_check(*, spouses: int, children: int, children_count: int | None) -> None:
    """The rules of a whole family (spouse and children listed, children declared)."""
    if spouses > 1:
        raise FamilyRuleError(_("Un seul conjoint peut être indiqué."), code="two_spouses")
    if children_count is not None and children > children_count:
        raise FamilyRuleError(
            _(
                "La famille compterait %(listed)d enfants alors que %(count)d sont déclarés : "
                "corrigez d'abord le nombre d'enfants, ou retirez un enfant."
            ),
            code="too_many_children",
            params={"listed": children, "count": children_count},
        )


@dataclass(frozen=True)
class RelativeDetails:
    last_name: str
    first_name: str
    birth_date: date | None = None


@dataclass(frozen=True)
class AgentDetails:
    """What the sign-up form collects, already validated and normalised."""

    civility: str
    last_name: str
    first_name: str
    employer: str
    status: str
    service: str
    service_address: str
    work_phone: str
    personal_phone: str
    address: str
    postal_code: str
    city: str
    birth_date: date | None = None
    family_situation: str = ""
    children_count: int | None = None
    spouse: RelativeDetails | None = None
    children: list[RelativeDetails] = field(default_factory=list)


def _managers_of(clas: Organisation) -> list[User]:
    managers = list(
        User.objects.filter(roles__organisation=clas, roles__kind=Role.Kind.SITE_MANAGER, is_active=True).distinct()
    )
    if managers:
        return managers
    # A CLAS without a site manager must not leave requests unseen.
    return list(User.objects.filter(roles__kind=Role.Kind.NATIONAL_ADMIN, is_active=True).distinct())


@transaction.atomic
def agent_register(
    *, clas: Organisation, email: str, password: str, details: AgentDetails, request: HttpRequest | None
) -> Agent | None:
    """Create the account, the agent in state « e-mail à confirmer » and the
    family, and send the confirmation e-mail.

    An address already known (in any letter case) creates nothing: its owner is
    told that someone tried, and the caller shows the same page as a success,
    so that the sign-up form never reveals who has an account.
    """
    if not clas.is_clas:
        raise ValueError("Accounts are created on a CLAS site.")
    family_check(
        spouses=1 if details.spouse else 0, children=len(details.children), children_count=details.children_count
    )
    email = email.strip()
    # Locked: two attempts at once on a known address send one e-mail at most.
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None:
        # The password is hashed on this path too: a known address must not
        # answer faster than a new one (the hash is most of the work).
        make_password(password)
        _signup_attempt_existing(user=existing, clas=clas)
        return None

    user = User.objects.create_user(email.lower(), password)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    agent = Agent(
        user=user,
        clas=clas,
        state=Agent.State.EMAIL_PENDING,
        civility=details.civility,
        last_name=details.last_name,
        first_name=details.first_name,
        employer=details.employer,
        status=details.status,
        service=details.service,
        service_address=details.service_address,
        work_phone=details.work_phone,
        personal_phone=details.personal_phone,
        address=details.address,
        postal_code=details.postal_code,
        city=details.city,
        birth_date=details.birth_date,
        family_situation=details.family_situation,
        children_count=details.children_count,
    )
    agent.search_text = search_text_for(agent)
    agent.full_clean()
    agent.save()
    relatives = []
    if details.spouse:
        relatives.append(Relative(agent=agent, kind=Relative.Kind.SPOUSE, **details.spouse.__dict__))
    relatives += [Relative(agent=agent, kind=Relative.Kind.CHILD, **child.__dict__) for child in details.children]
    for relative in relatives:
        relative.full_clean()
    Relative.objects.bulk_create(relatives)
    audit_record(
        action="agent.registered",
        actor=user,
        organisation=clas,
        subject=user,
        data={"relatives": len(relatives)},
    )
    address.send_confirmation(request, signup=True)
    return agent


def _signup_attempt_existing(*, user: User, clas: Organisation) -> None:
    since = timezone.now() - SIGNUP_ATTEMPT_MAIL_EVERY
    mailed = AuditEvent.objects.filter(
        action="agent.signup_attempt_existing", subject=user, created_at__gte=since, data__mailed=True
    ).exists()
    if not mailed:
        message_queue(
            to=user.email,
            template="signup_attempt_existing",
            context={
                "login_url": f"{settings.PORTAL_URL}{reverse('account_login')}",
                "reset_url": f"{settings.PORTAL_URL}{reverse('account_reset_password')}",
            },
            organisation=clas,
        )
    audit_record(
        action="agent.signup_attempt_existing",
        actor=None,
        organisation=clas,
        subject=user,
        data={"mailed": not mailed},
    )


@transaction.atomic
def agent_resend_confirmation(*, email: str, request: HttpRequest | None) -> bool:
    """Send the confirmation e-mail again, if an account made on a CLAS site
    still waits for it. The caller answers the same way either way."""
    address = (
        EmailAddress.objects.filter(
            email__iexact=email.strip(), verified=False, user__agent__state=Agent.State.EMAIL_PENDING
        )
        .select_related("user")
        .first()
    )
    if address is None:
        return False
    address.send_confirmation(request, signup=True)
    audit_record(action="agent.confirmation_resent", actor=None, organisation=None, subject=address.user)
    return True


def _code_hash(agent: Agent, code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return salted_hmac("agents.confirmation_code", f"{agent.pk}:{normalised}", algorithm="sha256").hexdigest()


@transaction.atomic
def agent_issue_confirmation_code(*, agent: Agent) -> str:
    """A new short code for the confirmation e-mail (the previous one stops working)."""
    code = get_random_string(CODE_LENGTH, CODE_ALPHABET)
    agent.confirmation_code_hash = _code_hash(agent, code)
    agent.confirmation_code_sent_at = timezone.now()
    agent.save(update_fields=["confirmation_code_hash", "confirmation_code_sent_at"])
    return f"{code[:4]}-{code[4:]}"


@transaction.atomic
def agent_confirm_email_code(*, email: str, code: str) -> Agent | None:
    """Confirm the address with the short code instead of the link. Returns
    None when the code is wrong, expired or the address unknown (the caller
    gives one answer for all three)."""
    agent = (
        Agent.objects.select_for_update()
        .select_related("user")
        .filter(user__email__iexact=email.strip(), state=Agent.State.EMAIL_PENDING)
        .first()
    )
    if agent is None or not agent.confirmation_code_hash or agent.confirmation_code_sent_at is None:
        return None
    if timezone.now() - agent.confirmation_code_sent_at > CONFIRMATION_VALID_FOR:
        return None
    if not constant_time_compare(agent.confirmation_code_hash, _code_hash(agent, code)):
        return None
    address = EmailAddress.objects.get(user=agent.user, email__iexact=agent.user.email)
    address.set_verified(commit=True)
    agent.confirmation_code_hash = ""
    agent.save(update_fields=["confirmation_code_hash"])
    return agent_confirm_email(user=agent.user)


@transaction.atomic
def agent_confirm_email(*, user: User) -> Agent | None:
    """The agent confirmed their address: the request goes to the CLAS's site
    managers. Confirming again (a second click) changes nothing."""
    agent = Agent.objects.select_for_update().select_related("clas").filter(user=user).first()
    if agent is None or agent.state != Agent.State.EMAIL_PENDING:
        return agent
    agent.state = Agent.State.AWAITING_APPROVAL
    agent.email_confirmed_at = timezone.now()
    agent.confirmation_code_hash = ""
    agent.save(update_fields=["state", "email_confirmed_at", "confirmation_code_hash"])
    audit_record(action="agent.email_confirmed", actor=user, organisation=agent.clas, subject=user)
    review_url = site_url(agent.clas, "agents:request-detail", pk=agent.pk)
    for manager in _managers_of(agent.clas):
        message_queue(
            to=manager.email,
            template="manager_new_request",
            context={"agent": agent, "review_url": review_url, "queue_url": site_url(agent.clas, "agents:requests")},
            organisation=agent.clas,
            about=[user],
        )
    return agent


def _decide(agent_id: int, clas: Organisation) -> Agent:
    # Locked: two managers deciding at once are serialised, and the second one
    # finds the request already decided.
    agent = Agent.objects.select_for_update().select_related("user", "clas").get(pk=agent_id, clas=clas)
    if agent.state != Agent.State.AWAITING_APPROVAL:
        raise AgentStateError(agent)
    return agent


@transaction.atomic
def agent_approve(*, agent_id: int, clas: Organisation, manager: User) -> Agent:
    agent = _decide(agent_id, clas)
    agent.state = Agent.State.APPROVED
    agent.decided_at = timezone.now()
    agent.decided_by = manager
    agent.save(update_fields=["state", "decided_at", "decided_by"])
    audit_record(action="agent.approved", actor=manager, organisation=clas, subject=agent.user)
    message_queue(
        to=agent.user.email,
        template="agent_approved",
        context={"agent": agent, "site_url": site_url(clas)},
        organisation=clas,
    )
    return agent


@transaction.atomic
def agent_reject(*, agent_id: int, clas: Organisation, manager: User, reason: str) -> Agent:
    """Refuse the request: the account can no longer log in and its sessions end."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A rejection needs a reason.")
    agent = _decide(agent_id, clas)
    agent.state = Agent.State.REJECTED
    agent.decided_at = timezone.now()
    agent.decided_by = manager
    agent.rejection_reason = reason
    agent.save(update_fields=["state", "decided_at", "decided_by", "rejection_reason"])
    user = agent.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    for session in UserSession.objects.filter(user=user):
        session.end()
    audit_record(action="agent.rejected", actor=manager, organisation=clas, subject=user, data={"reason": reason})
    message_queue(
        to=user.email,
        template="agent_rejected",
        context={"agent": agent, "reason": reason, "site_url": site_url(clas)},
        organisation=clas,
    )
    return agent


def agents_remind_managers(*, now: datetime | None = None) -> int:
    """Remind the site managers of each CLAS of requests waiting for more than
    seven days (at most once a week per request). Returns the requests reminded."""
    now = now or timezone.now()
    reminded = 0
    waiting = (
        Agent.objects.filter(state=Agent.State.AWAITING_APPROVAL, email_confirmed_at__lt=now - REMINDER_AFTER)
        .exclude(reminded_at__gt=now - REMINDER_AFTER)
        .select_related("clas", "user")
        .order_by("clas_id", "email_confirmed_at")
    )
    by_clas: dict[Organisation, list[Agent]] = {}
    for agent in waiting:
        by_clas.setdefault(agent.clas, []).append(agent)
    for clas, agents in by_clas.items():
        with transaction.atomic():
            for manager in _managers_of(clas):
                message_queue(
                    to=manager.email,
                    template="manager_reminder",
                    context={"agents": agents, "queue_url": site_url(clas, "agents:requests")},
                    organisation=clas,
                    about=[agent.user for agent in agents],
                )
            Agent.objects.filter(pk__in=[a.pk for a in agents]).update(reminded_at=now)
        reminded += len(agents)
    return reminded


@transaction.atomic
def agents_purge_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete accounts whose e-mail was never confirmed within 30 days."""
    now = now or timezone.now()
    stale = Agent.objects.filter(state=Agent.State.EMAIL_PENDING, created_at__lt=now - UNCONFIRMED_KEPT_FOR)
    users = list(User.objects.filter(agent__in=stale).select_related("agent__clas"))
    for user in users:
        audit_record(
            action="agent.purged_unconfirmed", actor=None, organisation=user.agent.clas, data={"agent": user.agent.pk}
        )
        _account_erase(agent=user.agent)
    return len(users)


# The fields a manager may correct, as the register shows them.
CORRECTABLE_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "birth_date",
    "employer",
    "status",
    "service",
    "service_address",
    "work_phone",
    "personal_phone",
    "address",
    "postal_code",
    "city",
    "family_situation",
    "children_count",
)


def _audit_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def agent_update(*, agent_id: int, clas: Organisation, actor: User, changes: dict[str, object]) -> Agent:
    """Correct an agent's data (same rules as at sign-up), recording before and
    after of each changed field in the audit trail."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    agent = Agent.objects.select_for_update().select_related("user").get(pk=agent_id, clas=clas)
    changed = {}
    for name, value in changes.items():
        before = getattr(agent, name)
        if before != value:
            changed[name] = {"before": _audit_value(before), "after": _audit_value(value)}
            setattr(agent, name, value)
    if not changed:
        return agent
    if "children_count" in changed:
        # Against the children listed now, not those the form saw.
        family_check(
            spouses=0,
            children=agent.relatives.filter(kind=Relative.Kind.CHILD).count(),
            children_count=agent.children_count,
        )
    agent.search_text = search_text_for(agent)
    agent.full_clean()
    agent.save(update_fields=[*changed, "search_text"])
    audit_record(action="agent.updated", actor=actor, organisation=clas, subject=agent.user, data={"changes": changed})
    return agent


@dataclass(frozen=True)
class FamilyRow:
    """One line of the family editor: an existing relative (``relative_id``) or a new one."""

    kind: str
    last_name: str
    first_name: str
    birth_date: date | None = None
    relative_id: int | None = None
    delete: bool = False


def _relative_audit(relative: Relative) -> dict[str, object]:
    return {
        "kind": relative.kind,
        "last_name": relative.last_name,
        "first_name": relative.first_name,
        "birth_date": _audit_value(relative.birth_date),
    }


@transaction.atomic
def agent_family_update(*, agent_id: int, clas: Organisation, actor: User, rows: list[FamilyRow]) -> Agent:
    """Add, change and remove the spouse and children of an agent, recording
    each change (before and after) in the audit trail.

    The rules hold on the whole family that results, relatives the rows leave
    out included: ``FamilyRuleError`` when it breaks one (nothing is changed).
    A relative id that is not this agent's raises ``Relative.DoesNotExist``
    (answered 404): a form cannot reach another family.
    """
    agent = Agent.objects.select_for_update().select_related("user").get(pk=agent_id, clas=clas)
    existing = {relative.pk: relative for relative in agent.relatives.all()}
    kinds = {pk: relative.kind for pk, relative in existing.items()}
    for row in rows:
        if row.relative_id is not None and row.relative_id not in existing:
            raise Relative.DoesNotExist(row.relative_id)
    for row in rows:
        if row.relative_id is None:
            continue
        if row.delete:
            kinds.pop(row.relative_id, None)
        else:
            kinds[row.relative_id] = row.kind
    added = [row for row in rows if row.relative_id is None and not row.delete]
    after = [*kinds.values(), *(row.kind for row in added)]
    family_check(
        spouses=after.count(Relative.Kind.SPOUSE),
        children=after.count(Relative.Kind.CHILD),
        children_count=agent.children_count,
    )

    changes: list[dict[str, object]] = []
    # Removals first, then whoever stops being the spouse: the database allows
    # one spouse at a time, whatever the order of the rows.
    kept = [row for row in rows if row.relative_id is not None]
    kept.sort(key=lambda row: (not row.delete, row.kind == Relative.Kind.SPOUSE))
    for row in kept:
        relative = existing[row.relative_id]  # type: ignore[index]
        before = _relative_audit(relative)
        if row.delete:
            relative.delete()
            changes.append({"removed": before})
            continue
        relative.kind, relative.last_name = row.kind, row.last_name
        relative.first_name, relative.birth_date = row.first_name, row.birth_date
        after_audit = _relative_audit(relative)
        if after_audit != before:
            relative.full_clean(exclude=["agent"], validate_constraints=False)
            relative.save(update_fields=["kind", "last_name", "first_name", "birth_date"])
            changes.append({"before": before, "after": after_audit})
    for row in added:
        relative = Relative(
            agent=agent,
            kind=row.kind,
            last_name=row.last_name,
            first_name=row.first_name,
            birth_date=row.birth_date,
        )
        relative.full_clean(validate_constraints=False)
        relative.save()
        changes.append({"added": _relative_audit(relative)})
    if changes:
        audit_record(
            action="agent.family_updated", actor=actor, organisation=clas, subject=agent.user, data={"changes": changes}
        )
    return agent


@transaction.atomic
def agent_refresh_search(*, user: User) -> None:
    """Recompute the register's search text after the account's e-mail changed."""
    agent = Agent.objects.select_for_update().select_related("user").filter(user=user).first()
    if agent is not None:
        agent.search_text = search_text_for(agent)
        agent.save(update_fields=["search_text"])


@transaction.atomic
def agent_request_deletion(*, user: User) -> Agent:
    """« Supprimer mon compte »: a site manager of the CLAS confirms it."""
    agent = Agent.objects.select_for_update().select_related("clas").get(user=user)
    if agent.deletion_requested_at is None:
        agent.deletion_requested_at = timezone.now()
        agent.save(update_fields=["deletion_requested_at"])
        audit_record(action="agent.deletion_requested", actor=user, organisation=agent.clas, subject=user)
        for manager in _managers_of(agent.clas):
            message_queue(
                to=manager.email,
                template="deletion_requested",
                context={"agent": agent, "queue_url": site_url(agent.clas, "agents:deletions")},
                organisation=agent.clas,
                about=[user],
            )
    return agent


@transaction.atomic
def agent_cancel_deletion(*, user: User) -> Agent:
    agent = Agent.objects.select_for_update().select_related("clas").get(user=user)
    if agent.deletion_requested_at is not None:
        agent.deletion_requested_at = None
        agent.save(update_fields=["deletion_requested_at"])
        audit_record(action="agent.deletion_cancelled", actor=user, organisation=agent.clas, subject=user)
    return agent


@transaction.atomic
def agent_erase(*, agent_id: int, clas: Organisation, manager: User) -> None:
    """Erase an agent who asked for it: nothing of them or their family is
    left (see ``_account_erase``); the history keeps only anonymised events
    (what happened, by whom and when, no longer to whom nor with which values)."""
    agent = (
        Agent.objects.select_for_update()
        .select_related("user")
        .get(pk=agent_id, clas=clas, deletion_requested_at__isnull=False)
    )
    _account_erase(agent=agent)
    audit_record(action="agent.erased", actor=manager, organisation=clas, data={"agent": agent_id})


@transaction.atomic
def agents_purge_rejected(*, now: datetime | None = None) -> int:
    """Erase the accounts whose request was rejected more than
    REJECTED_RETENTION_DAYS ago. They are kept until then so that the person
    can contest the decision and the CLAS can answer with the file at hand."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REJECTED_RETENTION_DAYS)
    rejected = list(
        Agent.objects.select_for_update(of=("self",))
        .select_related("user", "clas")
        .filter(state=Agent.State.REJECTED, decided_at__lt=cutoff)
    )
    for agent in rejected:
        agent_id, clas = agent.pk, agent.clas
        _account_erase(agent=agent)
        audit_record(action="agent.purged_rejected", actor=None, organisation=clas, data={"agent": agent_id})
    return len(rejected)


def _account_erase(*, agent: Agent) -> None:
    """Remove every personal datum of an agent's account, in the caller's transaction.

    Deleting the account takes the agent, the family, the transfers, the
    association links, the e-mail addresses, the second factors and the
    tracked sessions with it. What would outlive it is dealt with first: the
    e-mails addressed to the person or naming them are deleted, the sessions
    ended, the audit events about them and the admin's log of their objects
    anonymised.
    """
    user = agent.user
    emails = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    outbox_forget(user=user, emails=emails)
    audit_anonymise(subject=user)
    _admin_log_anonymise(agent)
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.delete()


def _admin_log_anonymise(agent: Agent) -> None:
    """The Django admin's log names each object it changed or deleted. Entries
    about the rows going with the account are found by their key (Django's own
    collector lists what the deletion will take); those about rows already
    deleted in the admin (an association link, a transfer), only by the name
    they were shown with, which begins with the agent's. The family is edited
    within the agent's page, whose entries are found by the agent's key."""
    user = agent.user
    collector = Collector(using=router.db_for_write(User))
    collector.collect([user])
    keys: dict[type[models.Model], set[object]] = {}
    for model, instances in collector.data.items():
        keys.setdefault(model, set()).update(instance.pk for instance in instances)
    for queryset in collector.fast_deletes:
        keys.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    entries = Q(pk__in=[])
    for model, pks in keys.items():
        entries |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks])
    for shown in (user.email, str(agent)):
        entries |= Q(object_repr__icontains=shown)
    with translation.override("fr"):
        LogEntry.objects.filter(entries).update(object_repr=gettext("(effacé)"), change_message="")
