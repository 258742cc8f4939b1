"""Role look-ups, and the one refusal rule every app's ``access.py`` follows.

The rules over each app's own objects live in that app's ``access.py``
(``agents.access``, ``transfers.access``, ``associations.access``), built on
these helpers; each function there either returns what the person may reach
(a queryset, an object) or raises. The answers follow one rule, so that
nothing leaks between the 16 organisations:

- someone with no staff role at all is refused plainly: 403;
- staff of *another* organisation get 404, as for an object of another
  organisation: the page of an organisation they do not belong to does not
  exist for them;
- staff of this organisation lacking the role the page needs get 403.

Views never filter by hand.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from alphasierra.accounts.models import User
from alphasierra.organisations.models import Organisation, Role

# The roles that make someone staff of an organisation of each kind.
STAFF_ROLES = {
    Organisation.Kind.CLAS: (Role.Kind.SITE_MANAGER, Role.Kind.SOCIAL_CORRESPONDENT),
    Organisation.Kind.ASSOCIATION: (Role.Kind.ASSOCIATION_MANAGER,),
    Organisation.Kind.NATIONAL: (Role.Kind.NATIONAL_ADMIN,),
}


def roles_of(user: User) -> list[Role]:
    """The person's roles, read once per request (kept on the user object,
    which lives as long as the request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Role] | None = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user).select_related("organisation"))
        user._portal_roles = cached  # type: ignore[attr-defined]
    return cached


def is_staff(user: User) -> bool:
    return bool(roles_of(user))


def has_role(user: User, organisation: Organisation, *kinds: Role.Kind) -> bool:
    return any(role.organisation_id == organisation.pk and role.kind in kinds for role in roles_of(user))


def require_role(user: User, organisation: Organisation, kinds: tuple[Role.Kind, ...]) -> None:
    """One of these roles in this organisation: 403 without any role, 404 for
    staff of another organisation, 403 for staff here lacking the role."""
    roles = roles_of(user)
    if not roles:
        raise PermissionDenied
    here = [role for role in roles if role.organisation_id == organisation.pk]
    if not here:
        raise Http404
    if not any(role.kind in kinds for role in here):
        raise PermissionDenied


def require_staff(user: User, organisation: Organisation) -> None:
    """Any staff role of this organisation (its dashboard)."""
    require_role(user, organisation, STAFF_ROLES[Organisation.Kind(organisation.kind)])


def require_clas_manager(user: User, organisation: Organisation) -> None:
    """The registration queue of a CLAS belongs to its site managers."""
    if not organisation.is_clas:
        raise Http404
    require_role(user, organisation, (Role.Kind.SITE_MANAGER,))


def require_national_admin(user: User, organisation: Organisation) -> None:
    if not organisation.is_national:
        raise Http404
    require_role(user, organisation, (Role.Kind.NATIONAL_ADMIN,))


def clas_has_correspondent(organisation: Organisation) -> bool:
    """Whether a CLAS has a social correspondent (CSR) able to log in."""
    return Role.objects.filter(
        organisation=organisation, kind=Role.Kind.SOCIAL_CORRESPONDENT, user__is_active=True
    ).exists()
