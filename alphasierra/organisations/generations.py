"""Generations of the sites' public pages, for the page cache.

The page cache (``pages.cache``) keeps the pages that every anonymous visitor
of a site sees alike, each with the generation, when it was rendered, of the
sites it shows. A service that changes what visitors read on a site calls
``public_pages_changed`` in its transaction: once the transaction commits, the
site has a new generation, and its pages rendered before are never served
again. Generations live in the shared cache, so every app server sees the
change at its next request.

A generation is a random value rather than a counter: one the cache lost
(evicted, flushed) comes back as a new value, which only drops pages, and can
never make an old page current again.
"""

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from alphasierra.accounts.models import User
from alphasierra.organisations.models import RESERVED_SLUGS, Organisation

# The national site's pages: "/" and the portal's own paths (the directory,
# the contact page, the login page). No slug can be "/" or "*".
NATIONAL = "/"
# Every page of every site: each header names the 17 sites.
EVERY_SITE = "*"


def generation_key(name: str) -> str:
    return f"public-pages:generation:{name}"


def generation_new() -> str:
    return secrets.token_hex(8)


def site_name(organisation: Organisation) -> str:
    """The name of a site's generation."""
    return NATIONAL if organisation.is_national else organisation.slug


def site_name_for_path(path: str) -> str:
    """The name of the generation of the site serving ``path``, read from its
    first segment as ``selectors.organisation_for_path`` does, without the
    database: the name of a site that does not exist is never given a
    generation (see ``pages.cache``)."""
    segment = path.lstrip("/").split("/", 1)[0]
    return NATIONAL if segment == "" or segment in RESERVED_SLUGS else segment


def public_pages_changed(*organisations: Organisation, directory: bool = False) -> None:
    """What visitors read on these sites changed in the current transaction;
    ``directory``: so did what the national pages built from every CLAS's
    correspondents show (the directory, the contact page)."""
    names = {site_name(organisation) for organisation in organisations}
    if directory:
        names.add(NATIONAL)
    _renew_on_commit(names)


def public_pages_all_changed() -> None:
    """An organisation's name or details changed: every page shows them."""
    _renew_on_commit({EVERY_SITE})


def directory_entry_changed(*, user: User) -> None:
    """A person's name or professional contact changed, or the person goes:
    the directory and their sites' home pages show them if they hold a role."""
    organisations = list(Organisation.objects.filter(roles__user=user).distinct())
    if organisations:
        public_pages_changed(*organisations, directory=True)


def _renew_on_commit(names: Iterable[str]) -> None:
    # After the commit, not before: a page rendered meanwhile from the rows as
    # they were would otherwise be kept under the new generation.
    keys = [generation_key(name) for name in names]
    transaction.on_commit(lambda: cache.set_many({key: generation_new() for key in keys}, timeout=None))
