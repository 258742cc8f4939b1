"""The register of a CLAS (« Référentiel agents »), for its site managers and CSR."""

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from alphasierra.agents import access
from alphasierra.agents.columns import REGISTER_TABLE, table_headers, table_rows
from alphasierra.agents.exporting import agents_export
from alphasierra.agents.forms.family import family_formset_sent
from alphasierra.agents.forms.register import AgentCorrectionForm, RegisterFilterForm
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.selectors import register_list
from alphasierra.agents.services.family import FamilyRuleError, agent_family_update
from alphasierra.agents.services.register import agent_update
from alphasierra.agents.validation import phone_region_for_site
from alphasierra.audit.services import audit_record
from alphasierra.http import AuthenticatedRequest
from alphasierra.listing import listing
from alphasierra.once.decorators import form_once
from alphasierra.organisations.decorators import backoffice


@backoffice
def register(request: AuthenticatedRequest) -> HttpResponse:
    clas = request.organisation
    agents = access.access_register(user=request.user, organisation=clas)
    listed = listing(request, RegisterFilterForm(request.GET), lambda filters: register_list(agents, filters))
    return render(
        request,
        "agents/register.html",
        {
            **listed.context(),
            "headers": table_headers(REGISTER_TABLE),
            "rows": table_rows(listed.page, REGISTER_TABLE, region=phone_region_for_site(clas.slug)),
            "filters": listed.filters,
        },
    )


@backoffice
def register_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    agents = access.access_register(user=request.user, organisation=request.organisation)
    return agents_export(request, agents, table=REGISTER_TABLE, fmt=fmt, action="register.exported")


def _record_view(request: AuthenticatedRequest, agent: Agent) -> None:
    # The detail, correction and family pages each show all of the agent's
    # data: each opening is a consultation the agent can see.
    if agent.user_id != request.user.pk:
        audit_record(action="agent.viewed", actor=request.user, organisation=request.organisation, subject=agent.user)


@backoffice
def agent_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    agent = access.access_register_agent(user=request.user, organisation=clas, pk=pk)
    _record_view(request, agent)
    # The agent's own request to leave, which their CLAS follows until it takes effect.
    return render(request, "agents/register_detail.html", {"agent": agent})


@backoffice
@form_once
def agent_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    agent = access.access_register_agent(user=request.user, organisation=clas, pk=pk)
    if request.method == "GET":
        _record_view(request, agent)
    form = AgentCorrectionForm(request.POST or None, agent=agent)
    if request.method == "POST" and form.is_valid():
        try:
            agent_update(agent_id=agent.pk, clas=clas, actor=request.user, changes=form.changes())
        except Agent.DoesNotExist:
            return _gone_meanwhile(request, agent)
        except FamilyRuleError as error:
            form.add_error(error.field, error)
        else:
            messages.success(request, _("Les données de %(name)s sont corrigées.") % {"name": agent.full_name})
            return redirect("agents:register-detail", site=clas.slug, pk=agent.pk)
    return render(request, "agents/register_edit.html", {"agent": agent, "form": form})


@backoffice
@form_once
def agent_family(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    agent = access.access_register_agent(user=request.user, organisation=clas, pk=pk)
    if request.method == "GET":
        _record_view(request, agent)
    family, sent = family_formset_sent(agent, request.POST if request.method == "POST" else None)
    if sent and family.is_valid():
        try:
            agent_family_update(agent_id=agent.pk, clas=clas, actor=request.user, rows=family.rows())
        except Relative.DoesNotExist:
            raise Http404 from None
        except Agent.DoesNotExist:
            return _gone_meanwhile(request, agent)
        except FamilyRuleError as error:
            family.add_error(error)
        else:
            messages.success(request, _("La famille de %(name)s est mise à jour.") % {"name": agent.full_name})
            return redirect("agents:register-detail", site=clas.slug, pk=agent.pk)
    return render(
        request,
        "agents/family_edit.html",
        {
            "agent": agent,
            "family": family,
            "show_errors": sent,
            "action": reverse("agents:register-family", kwargs={"site": clas.slug, "pk": agent.pk}),
            "back": reverse("agents:register-detail", kwargs={"site": clas.slug, "pk": agent.pk}),
            "backoffice": True,
        },
    )


def _gone_meanwhile(request: AuthenticatedRequest, agent: Agent) -> HttpResponse:
    """The agent left the register while the form was open (transferred to
    another CLAS, or erased): nothing was saved, and the manager is told."""
    messages.warning(
        request,
        _(
            "%(name)s ne fait plus partie du référentiel de votre CLAS (compte transféré ou supprimé entre-temps) : "
            "votre modification n'a pas été enregistrée."
        )
        % {"name": agent.full_name},
    )
    return redirect("agents:register", site=request.organisation.slug)
