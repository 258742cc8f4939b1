from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from alphasierra.accounts.models import User
from alphasierra.associations.models import AssociationLink
from alphasierra.organisations.models import Organisation


def links_of(user: User) -> QuerySet[AssociationLink]:
    return (
        AssociationLink.objects.filter(agent__user=user).select_related("association").order_by("association__position")
    )


def link_for(user: "User | AnonymousUser", association: Organisation) -> AssociationLink | None:
    if not user.is_authenticated:
        return None
    return AssociationLink.objects.filter(agent__user=user, association=association).first()


def members_count(*, association: Organisation) -> int:
    return AssociationLink.objects.filter(association=association, state=AssociationLink.State.ACTIVE).count()
