from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from alphasierra.audit.forms import AuditFilterForm
from alphasierra.audit.selectors import audit_actions, audit_events
from alphasierra.http import AuthenticatedRequest
from alphasierra.organisations import access
from alphasierra.organisations.decorators import backoffice


@backoffice
def journal(request: AuthenticatedRequest) -> HttpResponse:
    access.require_national_admin(request.user, request.organisation)
    form = AuditFilterForm(request.GET, actions=audit_actions())
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/journal.html", {"form": form, "page": page, "query": query.urlencode()})
