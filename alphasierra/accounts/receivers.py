from typing import Any

from allauth.account.signals import email_changed, password_changed, password_reset
from django.dispatch import receiver
from django.http import HttpRequest

from alphasierra.accounts.models import User
from alphasierra.accounts.services import sessions_end_others
from alphasierra.agents.services import agent_refresh_search


@receiver(password_changed)
def on_password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    # The change-password form offers to end the other sessions at once.
    if request.POST.get("end_other_sessions"):
        sessions_end_others(user=user, keep_session_key=request.session.session_key)


@receiver(email_changed)
def on_email_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    # The register searches the e-mail too.
    agent_refresh_search(user=user)


@receiver(password_reset)
def on_password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    # Whoever knew the old password is logged out everywhere.
    sessions_end_others(user=user, keep_session_key=None)
