from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from alphasierra.organisations.access import is_staff


def backoffice[R: HttpResponseBase](view: Callable[..., R]) -> Callable[..., R | HttpResponse]:
    """Every back-office view: logged in and, for anyone holding a role, a
    second factor set up (allauth then asks for it at each login). The view
    itself authorises through ``access``.

    Nothing of it is cached (``no-store``): these pages and exports hold agents'
    personal data, which must not stay in a shared computer's browser cache or
    in a proxy."""

    @never_cache
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> R | HttpResponse:
        user = request.user
        if is_staff(user) and not is_mfa_enabled(user):  # type: ignore[arg-type]
            messages.warning(
                request,
                _(
                    "Les pages de gestion donnent accès aux données personnelles des agents : "
                    "activez d'abord une double authentification."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapped
