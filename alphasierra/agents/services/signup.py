"""Sign-up on a CLAS site and confirmation of the e-mail address, by link or by code."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.search import search_text_for
from alphasierra.agents.services._common import managers_of
from alphasierra.agents.services.family import family_count_check
from alphasierra.audit.models import AuditEvent
from alphasierra.audit.services import audit_record
from alphasierra.mail.services import message_queue
from alphasierra.organisations.links import site_url
from alphasierra.organisations.models import Organisation

CONFIRMATION_VALID_FOR = timedelta(days=3)
# Unambiguous characters (no 0/O, 1/I/L): the code is typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
UNCONFIRMED_KEPT_FOR = timedelta(days=30)
# At most one « tentative d'inscription » e-mail per address in this time:
# the sign-up form must not be a way to flood someone's mailbox.
SIGNUP_ATTEMPT_MAIL_EVERY = timedelta(days=1)


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
    # One spouse at most is in the type of ``details``; the children are counted.
    family_count_check(children_count=details.children_count, children=len(details.children))
    email = email.strip()
    # Locked: two attempts at once on a known address send one e-mail at most.
    existing = User.objects.with_email(email).select_for_update().first()
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
    # allauth keeps addresses in lower case (and looks them up so): the
    # index on the column serves, where ``email__iexact`` would read them all.
    address = (
        EmailAddress.objects.filter(
            email=email.strip().lower(), verified=False, user__agent__state=Agent.State.EMAIL_PENDING
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
        .filter(user__in=User.objects.with_email(email.strip()), state=Agent.State.EMAIL_PENDING)
        .first()
    )
    if agent is None or not agent.confirmation_code_hash or agent.confirmation_code_sent_at is None:
        return None
    if timezone.now() - agent.confirmation_code_sent_at > CONFIRMATION_VALID_FOR:
        return None
    if not constant_time_compare(agent.confirmation_code_hash, _code_hash(agent, code)):
        return None
    address = EmailAddress.objects.get(user=agent.user, email=agent.user.email.lower())
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
    for manager in managers_of(agent.clas):
        message_queue(
            to=manager.email,
            template="manager_new_request",
            context={"agent": agent, "review_url": review_url, "queue_url": site_url(agent.clas, "agents:requests")},
            organisation=agent.clas,
            about=[user],
        )
    return agent
