from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alphasierra.agents.selectors import agent_for_user
from alphasierra.audit.services import audit_record
from alphasierra.french.grammar import agree_label
from alphasierra.french.templatetags.french import long_date
from alphasierra.http import AuthenticatedRequest, PortalRequest
from alphasierra.once.decorators import form_once
from alphasierra.organisations.access import STAFF_ROLES, has_role
from alphasierra.organisations.decorators import backoffice
from alphasierra.organisations.models import Organisation
from alphasierra.transfers import access
from alphasierra.transfers.forms import TransferRefuseForm, TransferRequestForm
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.selectors import transfer_open_for, transfers_decided, transfers_waiting
from alphasierra.transfers.services import (
    TransferError,
    TransferStateError,
    transfer_accept,
    transfer_cancel,
    transfer_refuse,
    transfer_request,
)


@login_required
@form_once
def request_transfer(request: AuthenticatedRequest) -> HttpResponse:
    """« Demander un transfert », on the agent's own CLAS site."""
    agent = agent_for_user(request.user)
    if agent is None:
        raise Http404
    if request.organisation != agent.clas:
        return redirect("transfers:request", site=agent.clas.slug)
    pending = transfer_open_for(request.user)
    form = TransferRequestForm(request.POST or None, current=agent.clas)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            transfer_request(agent_id=agent.pk, actor=request.user, **form.cleaned_data)
        except TransferError as error:
            form.add_error("destination", error.message)
        else:
            messages.success(
                request,
                agree_label(
                    _("Votre demande est envoyée au CLAS de destination ; vous serez prévenu(e) par e-mail."),
                    agent.civility,
                ),
            )
            return redirect("transfers:request", site=agent.clas.slug)
    return render(request, "transfers/request.html", {"agent": agent, "pending": pending, "form": form})


@login_required
@require_POST
@form_once
def cancel_transfer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        transfer_cancel(transfer_id=pk, user=request.user)
    except Transfer.DoesNotExist:
        raise Http404 from None
    except TransferStateError as error:
        messages.warning(
            request,
            _("Cette demande a déjà été traitée (%(state)s).") % {"state": error.transfer.state_label()},
        )
    else:
        messages.success(request, _("Votre demande de transfert est annulée."))
    if request.POST.get("depuis") == "mon-compte":
        return redirect("my-account")
    agent = agent_for_user(request.user)
    return redirect("transfers:request", site=agent.clas.slug if agent else request.organisation.slug)


@backoffice
def queue(request: AuthenticatedRequest) -> HttpResponse:
    clas = request.organisation
    transfers = access.access_transfers(user=request.user, organisation=clas)
    context = {
        "waiting": transfers_waiting(transfers),
        "decided": transfers_decided(transfers),
        "may_decide": access.may_decide_transfer(user=request.user, destination=clas),
        "sees_register": _sees_register(request),
    }
    return render(request, "transfers/queue.html", context)


@backoffice
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    transfer = access.access_transfer(user=request.user, organisation=clas, pk=pk)
    audit_record(action="agent.viewed", actor=request.user, organisation=clas, subject=transfer.agent.user)
    return _render_detail(request, transfer, TransferRefuseForm())


def _render_detail(
    request: AuthenticatedRequest, transfer: Transfer, form: TransferRefuseForm, status: int = 200
) -> HttpResponse:
    context = {
        "transfer": transfer,
        "agent": transfer.agent,
        "refuse_form": form,
        "may_decide": access.may_decide_transfer(user=request.user, destination=request.organisation),
        "sees_register": _sees_register(request),
    }
    return render(request, "transfers/detail.html", context, status=status)


def _sees_register(request: AuthenticatedRequest) -> bool:
    """Staff of the CLAS, unlike a national administrator standing in for a
    missing CSR, who reaches only the transfer pages."""
    return has_role(request.user, request.organisation, *STAFF_ROLES[Organisation.Kind.CLAS])


@backoffice
@require_POST
@form_once
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    transfer = access.access_transfer_to_decide(user=request.user, organisation=clas, pk=pk)
    try:
        accepted = transfer_accept(transfer_id=transfer.pk, destination=clas, actor=request.user)
    except Transfer.DoesNotExist:
        raise Http404 from None  # erased with the agent's account in the meantime
    except TransferStateError as error:
        _too_late(request, error)
    except TransferError as error:
        messages.error(request, error.message)
    else:
        if accepted.state == Transfer.State.SCHEDULED:
            text = agree_label(
                _("Transfert accepté : %(name)s sera rattaché(e) à votre CLAS le %(date)s."), transfer.agent.civility
            ) % {"name": transfer.agent.full_name, "date": long_date(accepted.effective_date)}
        else:
            text = agree_label(_("%(name)s est désormais rattaché(e) à votre CLAS."), transfer.agent.civility) % {
                "name": transfer.agent.full_name
            }
        messages.success(request, text)
    return redirect("transfers:queue", site=clas.slug)


@backoffice
@require_POST
@form_once
def refuse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    clas = request.organisation
    transfer = access.access_transfer_to_decide(user=request.user, organisation=clas, pk=pk)
    form = TransferRefuseForm(request.POST)
    if not form.is_valid():
        if transfer.state != Transfer.State.PENDING:
            # Decided meanwhile: its page is gone, say so rather than show it.
            _too_late(request, TransferStateError(transfer))
            return redirect("transfers:queue", site=clas.slug)
        return _render_detail(request, transfer, form, status=400)
    try:
        transfer_refuse(
            transfer_id=transfer.pk, destination=clas, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except Transfer.DoesNotExist:
        raise Http404 from None
    except TransferStateError as error:
        _too_late(request, error)
    except TransferError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La demande est refusée ; un e-mail en informe l'agent."))
    return redirect("transfers:queue", site=clas.slug)


def _too_late(request: PortalRequest, error: TransferStateError) -> None:
    messages.warning(
        request,
        _("Cette demande a déjà été traitée (%(state)s) : votre décision n'a pas été enregistrée.")
        % {"state": error.transfer.state_label()},
    )
