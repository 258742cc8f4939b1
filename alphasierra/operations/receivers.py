from typing import Any

from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.http import HttpRequest

from alphasierra.operations.metrics import EXCEPTIONS, view_label


@receiver(got_request_exception)
def on_request_exception(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Django sends it for the exceptions it answers with a 500 only (not for
    # Http404 or PermissionDenied), whether a view or a middleware raised it.
    if request is not None:
        EXCEPTIONS.labels(view=view_label(request)).inc()
