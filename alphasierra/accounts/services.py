import hashlib
from datetime import datetime
from importlib import import_module
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.audit.services import audit_record


@transaction.atomic
def sessions_end_others(*, user: User, keep_session_key: str | None) -> int:
    """End every session of the person but the current one (after a password change)."""
    ended = 0
    for session in UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""):
        session.end()
        ended += 1
    audit_record(action="account.sessions_ended", actor=user, organisation=None, subject=user, data={"ended": ended})
    return ended


@transaction.atomic
def account_change_record(*, user: User, action: str, data: dict[str, Any] | None = None) -> None:
    """Record a change the person made to their own account (e-mail address,
    password, second factor): it appears in their history and the journal."""
    audit_record(action=action, actor=user, organisation=None, subject=user, data=data)


def _session_store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def usersessions_purge_ended(*, user: User | None = None) -> int:
    """Forget the recorded sessions (« Mes sessions ouvertes ») that have
    ended: logged out, expired, or ended from another device. Those of one
    account, or of every account (the daily job). Returns how many went.

    allauth asks the session store about each recorded session, two or three
    queries apiece. When the sessions are rows of the database (the ``db`` and
    ``cached_db`` engines), one query finds every ended one. allauth's list of
    the sessions still checks each one it shows (a password changed since
    voids a session that is still stored).
    """
    recorded = UserSession.objects.all() if user is None else UserSession.objects.filter(user=user)
    store = _session_store()
    if not issubclass(store, DatabaseSessionStore):
        return sum(session.purge() for session in recorded.iterator())
    live = store.get_model_class().objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
    deleted, _ = recorded.exclude(Exists(live)).delete()
    return deleted


@transaction.atomic
def usersession_login(*, request: HttpRequest, user: User) -> None:
    """What allauth.usersessions does at each login, in a number of queries
    that depends neither on how many accounts exist nor on how many sessions
    this one has open: forget its ended sessions, then record the new one.

    allauth checks every recorded session of the account one by one: an
    account with hundreds of sessions took half a second to log in. With
    another session store than the database, the daily job forgets them.
    """
    if issubclass(_session_store(), DatabaseSessionStore):
        usersessions_purge_ended(user=user)
    if not request.session.session_key:
        request.session.save()
    ip, user_agent = _client_of(request)
    # allauth's get-or-create and update in one statement: the login has just
    # given the session a new key.
    UserSession.objects.bulk_create(
        [UserSession(user=user, session_key=request.session.session_key, ip=ip, user_agent=user_agent)],
        update_conflicts=True,
        unique_fields=["session_key"],
        update_fields=["user", "ip", "user_agent", "last_seen_at"],
    )
    _activity_remember(request, client=_digest(ip, user_agent), at=timezone.now())


def usersession_activity_record(*, request: HttpRequest) -> None:
    """Record that a logged-in session is in use: its address, browser and time
    last seen, as allauth's list of sessions shows them.

    allauth writes them at every request of a logged-in person, an UPDATE in a
    transaction of its own before each page. Here the last write is remembered
    in the cache (shared by the app servers), and the row is written again
    only when the address or the browser changed, at once (through allauth,
    which tells ``session_client_changed``), or when the time last seen is
    ``SESSION_ACTIVITY_EVERY`` old (one UPDATE). Neither needs a transaction
    of its own: one statement, or allauth's own.
    """
    client = _digest(*_client_of(request))
    now = timezone.now()
    seen = cache.get(_activity_key(request))
    same_client = seen is not None and seen[0] == client
    if same_client and now - seen[1] < settings.SESSION_ACTIVITY_EVERY:
        return
    updated = same_client and UserSession.objects.filter(
        session_key=request.session.session_key, user_id=request.user.pk
    ).update(last_seen_at=now)
    if not updated:
        # A new address or browser, a session the cache does not know, or its row forgotten.
        UserSession.objects.create_from_request(request)
    _activity_remember(request, client=client, at=now)


def _activity_key(request: HttpRequest) -> str:
    return f"usersessions.activity.{request.session.session_key}"


def _client_of(request: HttpRequest) -> tuple[str, str]:
    """The address and browser of a request, as allauth records them."""
    max_length = UserSession._meta.get_field("user_agent").max_length
    return get_adapter().get_client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:max_length]


def _digest(ip: str, user_agent: str) -> str:
    # The cache needs to tell a change, not to keep a copy of either.
    return hashlib.sha256(f"{ip}\n{user_agent}".encode()).hexdigest()


def _activity_remember(request: HttpRequest, *, client: str, at: datetime) -> None:
    # Kept as long as a session may live: the time stored decides when to
    # write again, not the entry's expiry.
    cache.set(_activity_key(request), (client, at), timeout=settings.SESSION_COOKIE_AGE)
