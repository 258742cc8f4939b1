"""How an association comes to know an agent, and stops knowing them."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.associations.models import AssociationLink
from alphasierra.audit.services import audit_record
from alphasierra.organisations.access import roles_of
from alphasierra.organisations.models import Organisation


def association_visit(*, user: User, association: Organisation) -> AssociationLink | None:
    """Record that a logged-in person opened a page of an association's site.

    Only an approved agent visiting as an agent makes the association know
    them; the link is made once (a withdrawn link is not silently made again:
    see ``association_relink``). Returns the link only when this visit made it.
    """
    if not association.is_association or not user.is_authenticated:
        return None
    # Its own staff, visiting in their staff role. The roles read once per
    # request: the page's header and access checks need them too.
    if any(role.organisation_id == association.pk for role in roles_of(user)):
        return None
    agent = Agent.objects.filter(user=user, state=Agent.State.APPROVED).only("pk").first()
    if agent is None:
        return None
    if AssociationLink.objects.filter(agent=agent, association=association).exists():
        return None
    try:
        with transaction.atomic():
            link = AssociationLink.objects.create(agent=agent, association=association)
            audit_record(action="association.linked", actor=user, organisation=association, subject=user)
    except IntegrityError:
        return None  # a concurrent first visit made it
    return link


@transaction.atomic
def association_withdraw(*, user: User, association: Organisation) -> AssociationLink:
    """The association's managers lose access to the agent at once."""
    link = AssociationLink.objects.select_for_update().get(
        agent__user=user, association=association, state=AssociationLink.State.ACTIVE
    )
    link.state = AssociationLink.State.WITHDRAWN
    link.withdrawn_at = timezone.now()
    link.save(update_fields=["state", "withdrawn_at"])
    audit_record(action="association.withdrawn", actor=user, organisation=association, subject=user)
    return link


@transaction.atomic
def association_relink(*, user: User, association: Organisation) -> AssociationLink:
    """« Me faire connaître de l'association », after a withdrawal."""
    link = AssociationLink.objects.select_for_update().get(agent__user=user, association=association)
    if link.state == AssociationLink.State.WITHDRAWN:
        link.state = AssociationLink.State.ACTIVE
        link.since = timezone.now()
        link.withdrawn_at = None
        link.save(update_fields=["state", "since", "withdrawn_at"])
        audit_record(action="association.relinked", actor=user, organisation=association, subject=user)
    return link
