from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from alphasierra.associations.services import association_visit
from alphasierra.french.grammar import agree_label
from alphasierra.http import PortalRequest


class AssociationVisitMiddleware:
    """An approved agent's first visit of an association's site, logged in,
    makes the association know them (see ``association_visit``); the page
    then tells them so."""

    def __init__(self, get_response: Callable[[PortalRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: PortalRequest) -> HttpResponse:
        organisation = getattr(request, "organisation", None)
        if organisation is not None and organisation.is_association and request.user.is_authenticated:
            link = association_visit(user=request.user, association=organisation)
            if link is not None:
                messages.info(
                    request,
                    format_html(
                        agree_label(
                            _(
                                "Vous êtes connecté(e) : l'association {} vous connaît désormais. Ses responsables "
                                "peuvent consulter vos informations personnelles (identité, coordonnées, employeur, "
                                "situation, service) et celles de votre famille. "
                                '<a href="{}">Vous pouvez retirer cet accès depuis « Mon compte »</a>.'
                            ),
                            link.agent.civility,
                        ),
                        organisation.name,
                        reverse("my-account") + "#associations",
                    ),
                    extra_tags="association-notice",
                )
        return self.get_response(request)
