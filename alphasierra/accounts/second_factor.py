"""Whether the current session passed the second factor, and where to send a
staff session that did not.

Having a second factor set up is not enough: a session opened with the
password alone (an old login, a login page that skipped the second step) must
not reach personal data. allauth keeps, in the session, the list of the
methods the person authenticated with; a staff session must hold ``mfa``.
"""

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def second_factor_enabled(user: Any) -> bool:
    """Whether the person has a second factor set up, read once per request:
    kept on the user object, which lives as long as the request (as the roles
    are, ``organisations.access.roles_of``). The back-office and the admin
    each ask it more than once for a page."""
    enabled: bool | None = getattr(user, "_portal_second_factor", None)
    if enabled is None:
        enabled = is_mfa_enabled(user)
        user._portal_second_factor = enabled
    return enabled


def second_factor_passed(request: HttpRequest) -> bool:
    """True when this session authenticated with the second factor (at login,
    or again since), for the person logged in, and they still have one: a
    second factor turned off leaves its record in the session."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records) and second_factor_enabled(request.user)


def second_factor_step(request: HttpRequest, next_url: str) -> str:
    """The page that gives this session its second factor, then returns to
    ``next_url``: the code of the authenticator app, or setting one up first."""
    if second_factor_enabled(request.user):
        messages.info(
            request,
            _(
                "Les pages de gestion donnent accès aux données personnelles des agents : "
                "saisissez le code de votre double authentification."
            ),
        )
        return f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}"
    messages.warning(
        request,
        _(
            "Les pages de gestion donnent accès aux données personnelles des agents : "
            "activez d'abord une double authentification."
        ),
    )
    return f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_url})}"
