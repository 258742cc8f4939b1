from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alphasierra.agents import access
from alphasierra.agents.forms.approval import RejectForm
from alphasierra.agents.models import Agent
from alphasierra.agents.selectors import agent_possible_duplicates, deletions_waiting, registrations_waiting
from alphasierra.agents.services.approval import AgentStateError, agent_approve, agent_reject
from alphasierra.agents.services.erasure import agent_erase
from alphasierra.audit.services import audit_record
from alphasierra.http import AuthenticatedRequest, PortalRequest
from alphasierra.once.decorators import form_once
from alphasierra.organisations.decorators import backoffice


@backoffice
def requests(request: AuthenticatedRequest) -> HttpResponse:
    clas = request.organisation
    agents = access.access_registrations(user=request.user, organisation=clas)
    return render(request, "agents/requests.html", {"waiting": registrations_waiting(agents)})


@backoffice
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    agent = access.access_registration(user=request.user, organisation=clas, pk=pk)
    audit_record(action="agent.viewed", actor=request.user, organisation=clas, subject=agent.user)
    return _render_request(request, agent, RejectForm())


def _render_request(request: PortalRequest, agent: Agent, reject_form: RejectForm, status: int = 200) -> HttpResponse:
    context = {"agent": agent, "duplicates": agent_possible_duplicates(agent), "reject_form": reject_form}
    return render(request, "agents/request_detail.html", context, status=status)


@backoffice
@require_POST
@form_once
def request_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    agent = access.access_registration(user=request.user, organisation=clas, pk=pk)
    try:
        agent_approve(agent_id=agent.pk, clas=clas, manager=request.user)
    except AgentStateError as error:
        _tell_already_decided(request, error)
    except Agent.DoesNotExist:
        _tell_gone(request, agent)
    else:
        messages.success(
            request, _("L'inscription de %(name)s est validée ; un e-mail l'en informe.") % {"name": agent.full_name}
        )
    return redirect("agents:requests", site=clas.slug)


@backoffice
@require_POST
@form_once
def request_reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    agent = access.access_registration(user=request.user, organisation=clas, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render_request(request, agent, form, status=400)
    try:
        agent_reject(agent_id=agent.pk, clas=clas, manager=request.user, reason=form.cleaned_data["reason"])
    except AgentStateError as error:
        _tell_already_decided(request, error)
    except Agent.DoesNotExist:
        _tell_gone(request, agent)
    else:
        messages.success(
            request, _("L'inscription de %(name)s est refusée ; un e-mail l'en informe.") % {"name": agent.full_name}
        )
    return redirect("agents:requests", site=clas.slug)


def _tell_already_decided(request: PortalRequest, error: AgentStateError) -> None:
    messages.warning(
        request,
        _("Cette demande a déjà été traitée (état : %(state)s) : votre décision n'a pas été enregistrée.")
        % {"state": error.agent.get_state_display()},
    )


def _tell_gone(request: PortalRequest, agent: Agent) -> None:
    # Erased or transferred while the manager was deciding.
    messages.warning(
        request,
        _(
            "La demande de %(name)s n'existe plus dans votre CLAS (compte supprimé ou transféré entre-temps) : "
            "votre décision n'a pas été enregistrée."
        )
        % {"name": agent.full_name},
    )


@backoffice
def deletions(request: AuthenticatedRequest) -> HttpResponse:
    clas = request.organisation
    agents = access.access_registrations(user=request.user, organisation=clas)
    return render(request, "agents/deletions.html", {"waiting": deletions_waiting(agents)})


@backoffice
@require_POST
@form_once
def deletion_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    agent = access.access_registration(user=request.user, organisation=clas, pk=pk)
    try:
        agent_erase(agent_id=agent.pk, clas=clas, manager=request.user)
    except Agent.DoesNotExist:
        messages.warning(request, _("Cette demande de suppression a été annulée entre-temps."))
    else:
        messages.success(request, _("Le compte et les données de %(name)s sont supprimés.") % {"name": agent.full_name})
    return redirect("agents:deletions", site=clas.slug)
