from django.http import HttpResponse
from django.shortcuts import render

from alphasierra.audit.forms import AuditFilterForm
from alphasierra.audit.selectors import audit_actions, audit_events
from alphasierra.http import AuthenticatedRequest
from alphasierra.listing import listing
from alphasierra.organisations import access
from alphasierra.organisations.decorators import backoffice


@backoffice
def journal(request: AuthenticatedRequest) -> HttpResponse:
    access.require_national_admin(request.user, request.organisation)
    form = AuditFilterForm(request.GET, actions=audit_actions())
    events = listing(request, form, lambda filters: audit_events(**filters))
    return render(request, "audit/journal.html", events.context())
