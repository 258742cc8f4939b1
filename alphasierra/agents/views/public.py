from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alphasierra.agents.forms.formsets import CHILDREN_MAX, focus_last_row, formset_data, with_one_more_row
from alphasierra.agents.forms.signup import ConfirmationCodeForm, ResendForm, SignupForm, child_formset
from alphasierra.agents.selectors import agent_for_user
from alphasierra.agents.services.family import FamilyRuleError
from alphasierra.agents.services.signup import agent_confirm_email_code, agent_register, agent_resend_confirmation
from alphasierra.audit.selectors import audit_about
from alphasierra.http import AuthenticatedRequest, PortalRequest
from alphasierra.once.decorators import form_once

SIGNUP_EMAIL_SESSION_KEY = "signup_email"
CHILDREN_PREFIX = "enfants"


@form_once
def signup(request: PortalRequest) -> HttpResponse:
    clas = request.organisation
    if not clas.is_clas:
        return render(request, "agents/signup_clas_only.html")
    if request.user.is_authenticated:
        return render(request, "agents/signup_logged_in.html")

    show_errors = True
    status = 200
    if request.method == "POST":
        data, garbled = formset_data(request.POST.copy(), CHILDREN_PREFIX, limit=CHILDREN_MAX)
        added_row = "ajouter_enfant" in data and not garbled
        if added_row:
            # The form comes back as typed, without errors, on the new row.
            data = with_one_more_row(data, CHILDREN_PREFIX, limit=CHILDREN_MAX)
            show_errors = False
        form = SignupForm(data, clas=clas)
        children = child_formset(data, prefix=CHILDREN_PREFIX, garbled=garbled)
        if show_errors and form.is_valid() and children.is_valid():
            email = form.cleaned_data["email"]
            # Per address and per client address (allauth's look-up of it, and
            # its cache: shared by every process through Redis).
            if not ratelimit.consume(request, action="signup", key=email.lower()):
                status = 429
            else:
                try:
                    agent_register(
                        clas=clas,
                        email=email,
                        password=form.cleaned_data["password1"],
                        details=form.details(children.children()),
                        request=request,
                    )
                except FamilyRuleError as error:
                    form.add_error(error.field, error)
                else:
                    # The same page whether the address was new or already known.
                    request.session[SIGNUP_EMAIL_SESSION_KEY] = email
                    return redirect("agents:signup-sent", site=clas.slug)
        form.ask_passwords_again()
        if added_row:
            focus_last_row(children)
    else:
        form = SignupForm(clas=clas)
        children = child_formset(prefix=CHILDREN_PREFIX)
    context = {
        "form": form,
        "children": children,
        "show_errors": show_errors and request.method == "POST",
        "rate_limited": status == 429,
    }
    return render(request, "agents/signup.html", context, status=status)


def signup_sent(request: PortalRequest) -> HttpResponse:
    email = request.session.get(SIGNUP_EMAIL_SESSION_KEY, "")
    return render(
        request,
        "agents/signup_sent.html",
        {"email": email, "form": ResendForm(initial={"email": email}), "resend_url": _resend_url(request)},
    )


def _resend_url(request: PortalRequest) -> str:
    organisation = request.organisation
    if organisation.is_clas:
        return reverse("agents:signup-resend", kwargs={"site": organisation.slug})
    return reverse("confirmation-resend")


@require_POST
@form_once
def signup_resend(request: PortalRequest) -> HttpResponse:
    form = ResendForm(request.POST)
    if not form.is_valid():
        context = {"email": "", "form": form, "resend_url": _resend_url(request)}
        return render(request, "agents/signup_sent.html", context, status=400)
    email = form.cleaned_data["email"]
    if ratelimit.consume(request, action="confirm_email", key=email.lower()):
        agent_resend_confirmation(email=email, request=request)
        messages.success(
            request,
            _("Si une inscription attend une confirmation pour cette adresse, un nouvel e-mail vient d'être envoyé."),
        )
    else:
        messages.warning(
            request, _("Un e-mail vient déjà d'être envoyé : patientez quelques minutes avant de réessayer.")
        )
    request.session[SIGNUP_EMAIL_SESSION_KEY] = email
    return redirect(_sent_url(request))


def _sent_url(request: PortalRequest) -> str:
    organisation = request.organisation
    if organisation.is_clas:
        return reverse("agents:signup-sent", kwargs={"site": organisation.slug})
    return reverse("confirmation-sent")


@form_once
def confirmation_code(request: PortalRequest) -> HttpResponse:
    """Confirm the address by typing the short code of the e-mail."""
    form = ConfirmationCodeForm(request.POST or None, initial={"email": request.session.get(SIGNUP_EMAIL_SESSION_KEY)})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not ratelimit.consume(request, action="confirm_email_code", key=email.lower()):
            form.add_error("code", _("Trop d'essais : patientez avant de réessayer."))
        elif (agent := agent_confirm_email_code(email=email, code=form.cleaned_data["code"])) is None:
            form.add_error("code", _("Ce code n'est pas valable pour cette adresse, ou il a expiré."))
        else:
            request.site_to_remember = agent.clas  # the next page names the agent's CLAS
            return redirect("email-confirmed")
    return render(request, "agents/confirmation_code.html", {"form": form})


def email_confirmed(request: PortalRequest) -> HttpResponse:
    return render(request, "agents/email_confirmed.html")


@login_required
def my_account(request: AuthenticatedRequest) -> HttpResponse:
    agent = agent_for_user(request.user)
    context = {
        "agent": agent,
        "seen_by": audit_about(request.user),
    }
    return render(request, "agents/my_account.html", context)
