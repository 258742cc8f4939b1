import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from alphasierra.activities.access import access_activities_listed
from alphasierra.activities.selectors.listing import activities_coming
from alphasierra.agents.selectors import agent_for_user
from alphasierra.associations.selectors import link_for
from alphasierra.content.selectors import home_shown, news_latest
from alphasierra.http import PortalRequest
from alphasierra.organisations.selectors import directory as directory_roles

# How many coming activities a site's home page shows, before « Toutes les activités ».
HOME_ACTIVITIES = 4


def national_home(request: PortalRequest) -> HttpResponse:
    """The national site's home: its managers' home if published, its news, the list of sites."""
    organisation = request.organisation
    context = {
        "banner_lead": _("Le portail de l'action sociale de la DGAC et de Météo-France."),
        "home": home_shown(organisation=organisation),
        "news": news_latest(organisation=organisation),
    }
    return render(request, "pages/national_home.html", context)


def home(request: PortalRequest) -> HttpResponse:
    """A CLAS's or an association's home: what its managers published (or the
    default home), and in every case its coming activities, latest news and,
    for a CLAS, its correspondents."""
    organisation = request.organisation
    if organisation.is_clas:
        lead = _("Le comité local d'action sociale des agents et retraités de la DGAC et de Météo-France.")
        correspondents = directory_roles(clas=organisation)
        link = None
    else:
        lead = _("Association nationale de l'action sociale de la DGAC et de Météo-France.")
        correspondents = []
        link = link_for(request.user, organisation)
    agent = None
    if organisation.is_association and link is None and request.user.is_authenticated:
        # A logged-in agent the association does not know yet is told why
        # (their registration is not approved), rather than asked to log in.
        agent = agent_for_user(request.user)
    context = {
        "banner_lead": lead,
        "correspondents": correspondents,
        "link": link,
        "agent": agent,
        "home": home_shown(organisation=organisation),
        "news": news_latest(organisation=organisation),
        "activities": activities_coming(access_activities_listed(organisation=organisation), count=HOME_ACTIVITIES),
    }
    return render(request, "pages/home.html", context)


def directory(request: PortalRequest) -> HttpResponse:
    """« Annuaire des correspondants sociaux »: public, built from the roles."""
    return render(request, "pages/directory.html", {"roles": directory_roles()})


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    # Static pages on purpose: the error may come from the database or a template.
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        # The database out of reach: the request's transaction was rolled back,
        # nothing was half written; a 503 tells people and proxies to retry.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
