"""Development outbox: read the messages the local portal "sent".

Reachable only with DEBUG on, so that a person trying the portal locally can
read confirmation e-mails and click their links.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from alphasierra.http import PortalRequest
from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.selectors import outbox_recent


def _require_debug() -> None:
    if not settings.DEBUG:
        raise Http404


def outbox_list(request: PortalRequest) -> HttpResponse:
    _require_debug()
    return render(request, "mail/dev_outbox_list.html", {"messages_out": outbox_recent()})


def outbox_detail(request: PortalRequest, pk: int) -> HttpResponse:
    _require_debug()
    message = get_object_or_404(OutboxMessage.objects.select_related("organisation"), pk=pk)
    return render(request, "mail/dev_outbox_detail.html", {"message_out": message})
