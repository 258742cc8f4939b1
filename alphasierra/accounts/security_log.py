"""Authentication events, written to the ``alphasierra.security`` log.

The audit journal records who saw or changed whose data; this log records who
tried to log in, for the operators' log collector. It names accounts by their
number, never by what was typed: a password typed into the e-mail field must
not end up in a log file.
"""

import logging
from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from alphasierra.accounts.models import User

logger = logging.getLogger("alphasierra.security")


def _client_ip(request: HttpRequest | None) -> str:
    # The adapter honours the trusted-proxy settings, as the rate limits do.
    # A request built by code (a test client's force_login) has no address.
    if request is None or not request.META.get("REMOTE_ADDR"):
        return "-"
    return get_adapter().get_client_ip(request)


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    logger.info("login succeeded account=%s ip=%s", user.pk, _client_ip(request))


@receiver(user_logged_out)
def on_logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    logger.info("logout account=%s ip=%s", user.pk if user else "-", _client_ip(request))


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = credentials.get("email") or credentials.get("username") or ""
    account = User.objects.with_email(email).values_list("pk", flat=True).first() if email else None
    logger.warning("login failed account=%s ip=%s", account or "unknown", _client_ip(request))
