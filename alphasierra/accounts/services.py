from typing import Any

from allauth.usersessions.models import UserSession
from django.db import transaction

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
