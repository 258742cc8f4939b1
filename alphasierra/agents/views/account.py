"""« Mon compte »: the agent keeps their data and family up to date."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alphasierra.agents.forms.family import family_formset_sent
from alphasierra.agents.forms.register import AgentCorrectionForm
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.personal_data import personal_data_zip
from alphasierra.agents.selectors import agent_for_user
from alphasierra.agents.services.erasure import agent_cancel_deletion, agent_request_deletion
from alphasierra.agents.services.family import FamilyRuleError, agent_family_update
from alphasierra.agents.services.register import agent_update
from alphasierra.audit.selectors import audit_history
from alphasierra.audit.services import audit_record
from alphasierra.http import AuthenticatedRequest
from alphasierra.once.decorators import form_once


def _my_agent(request: AuthenticatedRequest) -> Agent:
    agent = agent_for_user(request.user)
    if agent is None:
        raise Http404
    return agent


@login_required
@form_once
def edit(request: AuthenticatedRequest) -> HttpResponse:
    agent = _my_agent(request)
    form = AgentCorrectionForm(request.POST or None, agent=agent)
    if request.method == "POST" and form.is_valid():
        # The agent's current CLAS, read again now: a transfer accepted while
        # the form was open must not lose the edit.
        try:
            agent_update(agent_id=agent.pk, clas=_my_agent(request).clas, actor=request.user, changes=form.changes())
        except FamilyRuleError as error:
            form.add_error(error.field, error)
        else:
            messages.success(request, _("Vos informations sont enregistrées."))
            return redirect("my-account")
    return render(request, "agents/my_account_edit.html", {"agent": agent, "form": form})


@login_required
@form_once
def family(request: AuthenticatedRequest) -> HttpResponse:
    agent = _my_agent(request)
    formset, sent = family_formset_sent(agent, request.POST if request.method == "POST" else None)
    if sent and formset.is_valid():
        try:
            # The current CLAS, read again now (as for the edit above).
            clas = _my_agent(request).clas
            agent_family_update(agent_id=agent.pk, clas=clas, actor=request.user, rows=formset.rows())
        except Relative.DoesNotExist:
            raise Http404 from None
        except FamilyRuleError as error:
            formset.add_error(error)
        else:
            messages.success(request, _("Votre famille est mise à jour."))
            return redirect("my-account")
    return render(
        request,
        "agents/family_edit.html",
        {
            "agent": agent,
            "family": formset,
            "show_errors": sent,
            "action": reverse("my-family"),
            "back": reverse("my-account"),
        },
    )


@login_required
def history(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "agents/my_history.html", {"events": audit_history(request.user)})


@login_required
def download(request: AuthenticatedRequest) -> HttpResponse:
    agent = _my_agent(request)
    audit_record(action="agent.data_downloaded", actor=request.user, organisation=agent.clas, subject=request.user)
    filename = f"mes-donnees-alpha-sierra-{timezone.localdate():%Y-%m-%d}.zip"
    return HttpResponse(
        personal_data_zip(agent),
        content_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
@form_once
def delete(request: AuthenticatedRequest) -> HttpResponse:
    agent = _my_agent(request)
    if request.method == "POST":
        if "annuler" in request.POST:
            agent_cancel_deletion(user=request.user)
            messages.success(request, _("Votre demande de suppression est annulée."))
        else:
            agent_request_deletion(user=request.user)
            messages.success(
                request,
                _("Votre demande est transmise au responsable du site de votre CLAS, qui confirmera la suppression."),
            )
        return redirect("my-account")
    return render(request, "agents/my_account_delete.html", {"agent": agent})
