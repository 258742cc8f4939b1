from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alphasierra.agents.columns import table_headers, table_rows
from alphasierra.agents.exporting import agents_export
from alphasierra.agents.forms.register import RegisterFilterForm
from alphasierra.agents.selectors import register_list
from alphasierra.agents.validation import phone_region_for_site
from alphasierra.associations import access
from alphasierra.associations.models import AssociationLink
from alphasierra.associations.services import association_relink, association_withdraw
from alphasierra.audit.services import audit_record
from alphasierra.http import AuthenticatedRequest
from alphasierra.listing import listing
from alphasierra.once.decorators import form_once
from alphasierra.organisations.decorators import backoffice
from alphasierra.organisations.models import Organisation

# The columns of « Agents connus de l'association », and the first ones of its
# exports: whose CLAS each agent belongs to, and how to reach them.
MEMBERS_TABLE = ("last_name", "first_name", "clas", "employer", "status", "email", "personal_phone")


@backoffice
def members(request: AuthenticatedRequest) -> HttpResponse:
    association = request.organisation
    agents = access.access_members(user=request.user, organisation=association)
    form = RegisterFilterForm(request.GET)
    listed = listing(request, form, lambda filters: register_list(agents.select_related("clas"), filters))
    context = {
        **listed.context(),
        "headers": table_headers(MEMBERS_TABLE),
        "rows": table_rows(listed.page, MEMBERS_TABLE, region=phone_region_for_site(association.slug)),
    }
    return render(request, "associations/members.html", context)


@backoffice
def members_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    agents = access.access_members(user=request.user, organisation=request.organisation).select_related("clas")
    return agents_export(request, agents, table=MEMBERS_TABLE, fmt=fmt, action="association.exported")


@backoffice
def member_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    association = request.organisation
    agent = access.access_member(user=request.user, organisation=association, pk=pk)
    audit_record(action="agent.viewed", actor=request.user, organisation=association, subject=agent.user)
    return render(request, "associations/member_detail.html", {"agent": agent})


@login_required
@require_POST
@form_once
def withdraw(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """From « Mon compte »: the association stops knowing the agent."""
    association = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.ASSOCIATION).first()
    if association is None:
        raise Http404
    try:
        association_withdraw(user=request.user, association=association)
    except AssociationLink.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("L'association %(name)s ne voit plus vos informations.") % {"name": association.name})
    return redirect("my-account")


@login_required
@require_POST
@form_once
def relink(request: AuthenticatedRequest) -> HttpResponse:
    """« Me faire connaître de l'association », on its site."""
    association = request.organisation
    try:
        association_relink(user=request.user, association=association)
    except AssociationLink.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("L'association %(name)s vous connaît de nouveau.") % {"name": association.name})
    return redirect("pages:home", site=association.slug)
