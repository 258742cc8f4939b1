"""The back-office dashboard: one page that gathers counts from several apps,
hence in the site layer."""

from django.http import HttpResponse
from django.shortcuts import render

from alphasierra.agents.selectors import agent_counts
from alphasierra.associations.selectors import members_count
from alphasierra.http import AuthenticatedRequest
from alphasierra.organisations import access
from alphasierra.organisations.decorators import backoffice
from alphasierra.transfers.selectors import transfers_waiting_count


@backoffice
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    access.require_staff(request.user, organisation)
    counts = agent_counts(clas=organisation) if organisation.is_clas else None
    transfers = transfers_waiting_count(destination=organisation) if organisation.is_clas else 0
    members = members_count(association=organisation) if organisation.is_association else 0
    context = {"counts": counts, "transfers": transfers, "members": members}
    return render(request, "pages/dashboard.html", context)
