from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alphasierra.http import AuthenticatedRequest
from alphasierra.once.decorators import form_once
from alphasierra.organisations import access
from alphasierra.organisations.decorators import backoffice
from alphasierra.organisations.forms import AccountSearchForm, RoleGrantForm
from alphasierra.organisations.models import Role
from alphasierra.organisations.selectors import accounts_search, roles_search
from alphasierra.organisations.services import RoleAlreadyHeldError, RoleHolderGoneError, role_grant, role_revoke


@backoffice
def roles(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    access.require_national_admin(request.user, organisation)
    search = AccountSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context = {
        "search": search,
        "accounts": accounts_search(query=query),
        "roles": roles_search(query=""),
        "grant_form": RoleGrantForm(),
    }
    return render(request, "organisations/roles.html", context)


@backoffice
@require_POST
@form_once
def role_grant_view(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    access.require_national_admin(request.user, organisation)
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            role_grant(user=data["user"], organisation=data["organisation"], kind=data["kind"], actor=request.user)
        except RoleAlreadyHeldError:
            messages.info(request, _("Cette personne a déjà ce rôle."))
        except RoleHolderGoneError:
            messages.warning(
                request, _("Ce compte n'existe plus ou a été désactivé entre-temps : aucun rôle n'a été attribué.")
            )
        else:
            messages.success(
                request,
                _("%(email)s est désormais %(role)s (%(organisation)s) ; un e-mail l'en informe.")
                % {
                    "email": data["user"].email,
                    "role": Role.Kind(data["kind"]).label,
                    "organisation": data["organisation"].name,
                },
            )
        return redirect("national-roles")
    # The search typed before choosing the role comes back too, validated like any input.
    search = AccountSearchForm({"q": form.data.get("q", "")})
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context = {
        "search": search,
        "accounts": accounts_search(query=query),
        "roles": roles_search(query=""),
        "grant_form": form,
    }
    return render(request, "organisations/roles.html", context, status=400)


@backoffice
@require_POST
@form_once
def role_revoke_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    access.require_national_admin(request.user, organisation)
    try:
        role_revoke(role_id=pk, actor=request.user)
    except Role.DoesNotExist:
        # Revoked by someone else meanwhile, or the account was erased.
        messages.info(request, _("Ce rôle avait déjà été retiré (ou le compte supprimé) : rien n'a changé."))
    else:
        messages.success(request, _("Le rôle est retiré ; un e-mail en informe la personne."))
    return redirect("national-roles")
