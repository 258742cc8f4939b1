"""Request types of the portal, for type checking the views.

Every request carries the site it was made on (``OrganisationMiddleware``);
views behind ``login_required`` or ``backoffice`` also have a real user.
"""

from django.http import HttpRequest

from alphasierra.accounts.models import User
from alphasierra.organisations.models import Organisation


class PortalRequest(HttpRequest):
    organisation: Organisation
    portal_organisations: list[Organisation]
    # A site the next shared pages (/comptes/…) should name, learnt during the
    # request (the CLAS of an address just confirmed); see OrganisationMiddleware.
    site_to_remember: Organisation | None


class AuthenticatedRequest(PortalRequest):
    user: User
