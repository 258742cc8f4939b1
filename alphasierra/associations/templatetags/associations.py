"""What « Mon compte » (a page of the agents app) shows of the associations,
given by the associations app itself: the agents app stands below it and
does not import it."""

from django import template
from django.db.models import QuerySet

from alphasierra.accounts.models import User
from alphasierra.associations.models import AssociationLink
from alphasierra.associations.selectors import links_of

register = template.Library()


@register.simple_tag
def association_links(user: User) -> QuerySet[AssociationLink]:
    """``{% association_links request.user as links %}``: the associations that know the person."""
    return links_of(user)
