from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from alphasierra.accounts.second_factor import second_factor_passed, second_factor_step
from alphasierra.organisations.access import is_staff


def backoffice[R: HttpResponseBase](view: Callable[..., R]) -> Callable[..., R | HttpResponse]:
    """Every back-office view: logged in and, for anyone holding a role, a
    session that passed the second factor (set up first if there is none):
    a second factor set up but skipped by this session is not enough. The view
    itself authorises through ``access``.

    Nothing of it is cached (``no-store``): these pages and exports hold agents'
    personal data, which must not stay in a shared computer's browser cache or
    in a proxy."""

    @never_cache
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> R | HttpResponse:
        if is_staff(request.user) and not second_factor_passed(request):  # type: ignore[arg-type]
            return redirect(second_factor_step(request, request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped
