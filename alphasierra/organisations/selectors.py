from django.db.models import Q, QuerySet

from alphasierra.accounts.models import User
from alphasierra.organisations.models import RESERVED_SLUGS, Organisation, Role


def organisations_all() -> list[Organisation]:
    """The 17 sites in display order (one small query)."""
    return list(Organisation.objects.all())


def organisation_for_path(path: str, organisations: list[Organisation]) -> Organisation | None:
    """The organisation whose site serves ``path``, or None for an unknown site.

    The first path segment names the site. The root and the portal's own paths
    (``/admin/``, ``/comptes/``…) belong to the national site; the national
    organisation is never reached through its slug, so that each page has
    exactly one address.
    """
    segment = path.lstrip("/").split("/", 1)[0]
    national_site = segment == "" or segment in RESERVED_SLUGS
    for organisation in organisations:
        if national_site and organisation.is_national:
            return organisation
        if not national_site and not organisation.is_national and organisation.slug == segment:
            return organisation
    return None


def directory(*, clas: Organisation | None = None) -> list[Role]:
    """The social correspondents and site managers of each CLAS, with the
    professional contact of their agent record: built from the roles, nothing
    typed twice."""
    roles = (
        Role.objects.filter(kind__in=[Role.Kind.SOCIAL_CORRESPONDENT, Role.Kind.SITE_MANAGER], user__is_active=True)
        .select_related("organisation", "user", "user__agent")
        # The CSR first: the communiqué sends agents to their social correspondent.
        .order_by("organisation__position", "-kind", "user__agent__last_name", "user__email")
    )
    if clas is not None:
        roles = roles.filter(organisation=clas)
    return list(roles)


def roles_search(*, query: str) -> QuerySet[Role]:
    roles = Role.objects.select_related("organisation", "user", "user__agent").order_by(
        "organisation__position", "kind", "user__email"
    )
    if query:
        roles = roles.filter(
            Q(user__email__icontains=query)
            | Q(user__agent__last_name__icontains=query)
            | Q(user__agent__first_name__icontains=query)
        )
    return roles


def accounts_search(*, query: str, limit: int = 20) -> list[User]:
    """Accounts matching a name or an e-mail, to give one a role."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(
        User.objects.filter(
            Q(email__icontains=query) | Q(agent__last_name__icontains=query) | Q(agent__first_name__icontains=query)
        )
        .select_related("agent", "agent__clas")
        .order_by("email")[:limit]
    )
