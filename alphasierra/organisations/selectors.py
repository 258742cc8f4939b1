from alphasierra.organisations.models import RESERVED_SLUGS, Organisation


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
