from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.account.signals import (
    email_added,
    email_changed,
    email_confirmed,
    email_removed,
    password_changed,
    password_reset,
    password_set,
    user_logged_in,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.dispatch import receiver
from django.http import HttpRequest

from alphasierra.accounts.models import User
from alphasierra.accounts.services import account_change_record, sessions_end_others, usersession_login


@receiver(user_logged_in)
def on_user_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    # In place of allauth.usersessions' own receiver (disconnected in AccountsConfig.ready).
    usersession_login(request=request, user=user)


@receiver(password_changed)
def on_password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    account_change_record(user=user, action="account.password_changed")
    # The change-password form offers to end the other sessions at once.
    if request.POST.get("end_other_sessions"):
        sessions_end_others(user=user, keep_session_key=request.session.session_key)


@receiver(password_set)
def on_password_set(sender: Any, user: User, **kwargs: Any) -> None:
    account_change_record(user=user, action="account.password_set")


@receiver(email_changed)
def on_email_changed(
    sender: Any, user: User, from_email_address: EmailAddress | None, to_email_address: EmailAddress, **kwargs: Any
) -> None:
    account_change_record(
        user=user,
        action="account.email_changed",
        data={"from": from_email_address.email if from_email_address else None, "to": to_email_address.email},
    )


@receiver(email_added)
def on_email_added(sender: Any, user: User, email_address: EmailAddress, **kwargs: Any) -> None:
    account_change_record(user=user, action="account.email_added", data={"email": email_address.email})


@receiver(email_confirmed)
def on_email_confirmed(sender: Any, email_address: EmailAddress, **kwargs: Any) -> None:
    # The first address is confirmed at sign-up, recorded by the agents' own
    # receiver (agent.email_confirmed); a new address comes next to the old one.
    if EmailAddress.objects.filter(user_id=email_address.user_id).count() > 1:
        account_change_record(
            user=email_address.user, action="account.email_confirmed", data={"email": email_address.email}
        )


@receiver(email_removed)
def on_email_removed(sender: Any, user: User, email_address: EmailAddress, **kwargs: Any) -> None:
    account_change_record(user=user, action="account.email_removed", data={"email": email_address.email})


@receiver(password_reset)
def on_password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    account_change_record(user=user, action="account.password_reset")
    # Whoever knew the old password is logged out everywhere.
    sessions_end_others(user=user, keep_session_key=None)


@receiver(authenticator_added)
def on_authenticator_added(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    account_change_record(user=user, action="account.second_factor_added", data={"type": authenticator.type})
    # Activating a second factor takes a valid code from it: this session has
    # passed the second factor, the back-office need not ask for it again.
    if request is not None and authenticator.type != Authenticator.Type.RECOVERY_CODES and request.user.pk == user.pk:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)


@receiver(authenticator_removed)
def on_authenticator_removed(sender: Any, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    account_change_record(user=user, action="account.second_factor_removed", data={"type": authenticator.type})


@receiver(authenticator_reset)
def on_authenticator_reset(sender: Any, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    account_change_record(user=user, action="account.recovery_codes_reset", data={"type": authenticator.type})
