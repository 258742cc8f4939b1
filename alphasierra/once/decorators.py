from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext as _

from alphasierra.once.selectors import form_token_location
from alphasierra.once.services import (
    FIELD,
    FormTokenExpiredError,
    form_token_read,
    form_token_settle,
    form_token_spend,
)


def form_once[R: HttpResponseBase](view: Callable[..., R]) -> Callable[..., R | HttpResponseRedirect]:
    """Carry out each rendered form once, however many times it is sent.

    For the POST views of forms rendered with ``{% form_once %}``: the view
    runs in one transaction with the spending of the form's token. A second
    submission of the same form (a double click, a page sent again) does
    nothing and is sent where the first one led, with a message. The
    contract for the view: after doing something, redirect (as every view
    of the portal does); a form rendered again means nothing was done.

    A POST without the field is let through: only a browser sending one of
    the portal's forms repeats a submission by accident, and every POST
    form carries the token (``once/tests`` checks each page).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> R | HttpResponseRedirect:
        value = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not value:
            return view(request, *args, **kwargs)
        try:
            token = form_token_read(value)
        except FormTokenExpiredError as expired:
            messages.warning(
                request,
                _(
                    "Cette page était ouverte depuis trop longtemps : rien n'a été enregistré. "
                    "Vérifiez-la et envoyez-la de nouveau."
                ),
            )
            return HttpResponseRedirect(expired.page)
        except signing.BadSignature:
            raise SuspiciousOperation("Form token not issued by the portal.") from None
        with transaction.atomic():
            if not form_token_spend(key=token.key):
                messages.warning(request, _("Ce formulaire a déjà été envoyé : l'action n'a été faite qu'une fois."))
                return HttpResponseRedirect(form_token_location(key=token.key) or token.page)
            response = view(request, *args, **kwargs)
            led_on = 300 <= response.status_code < 400 and response.has_header("Location")
            form_token_settle(key=token.key, location=response["Location"] if led_on else None)
        return response

    # Outer decorators copy it (functools.wraps): the tests find it on any URL's view.
    wrapped.form_once = True  # type: ignore[attr-defined]
    return wrapped
