"""The page cache: the public pages, as every anonymous visitor of a site sees them.

What is kept: the answer (200) of the views in ``PUBLIC_PAGES`` to a GET; a
GET or HEAD of the same address is served from it, without the database.

For whom: a request without a session cookie, hence nobody logged in (the
check neither loads nor creates a session), and without the cookie of a
pending message (« Vous êtes déconnecté » is shown, never kept nor replaced).
An answer is not kept when it sets a cookie other than the site cookie,
writes the session, or shows a message.

The key: the address (scheme, host, path, query string), the language chosen,
and on the shared pages (``/comptes/…``) the site cookie, since their header
names the site the person came from. Another site's page has another path.

Freshness: an answer is kept with the generation, read before it was rendered,
of each site it shows (``organisations.generations``): the sites' services
renew a generation when what visitors read there changes (content, activities
and their places, correspondents, organisations), and an answer is served only
while its generations are current. Time changes pages too (an activity that
starts leaves « Prochaines activités », a news item due appears): nothing is
kept longer than ``PAGE_CACHE_SECONDS`` (60 by default; 0 turns the cache off).

What differs between visitors: every page carries forms (the language switch,
the sign-up and login forms), with a CSRF token and, for the portal's own
forms, a one-time token (``once``). Kept as they were rendered, one visitor's
tokens would be served to all: the tokens are replaced by markers before the
answer is kept, and each visitor gets their own when it is served; the CSRF
cookie is then set by Django's ``CsrfViewMiddleware``, as for a page rendered
for them (this middleware runs inside it). The form pages are cached rather
than left out because they are the most read on an opening day, and every page
has the language switch anyway.
"""

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac

from alphasierra.once.services import FIELD as ONCE_FIELD
from alphasierra.once.services import form_token_new
from alphasierra.organisations.generations import (
    EVERY_SITE,
    NATIONAL,
    generation_key,
    generation_new,
    site_name,
    site_name_for_path,
)
from alphasierra.organisations.middleware import SITE_COOKIE_NAME, site_remember
from alphasierra.pages.context_processors import SHARED_PAGES, site_shown

# The views whose answer is the same for every anonymous visitor of a site.
PUBLIC_PAGES = frozenset(
    {
        "pages:national-home",
        "pages:home",
        "directory",
        "content:contact",
        "content:page",
        "content:page-national",
        "content:news-list",
        "content:news-list-national",
        "content:news-detail",
        "content:news-detail-national",
        "content:news-feed",
        "content:news-feed-national",
        "activities:list",
        "activities:detail",
        "agents:signup",
        "national-signup",
        "account_login",
    }
)
# A site's slug, as a cookie or the first segment of a ``next`` path may name one.
_SLUG = re.compile(r"[-\w]{1,40}", re.ASCII)
# Headers not kept: the length changes with the tokens put back.
_HEADERS_LEFT = {"content-length", "set-cookie"}


class PageCacheMiddleware:
    """Serves and keeps the public pages (see the module's docstring). Placed
    after ``CsrfViewMiddleware`` and before the authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # Markers in place of the tokens: derived from the secret key, so that
        # no text a site's manager writes can be one, and the same on every
        # app server sharing the cache.
        self.csrf_marker = salted_hmac("alphasierra.pages.cache", "csrf", algorithm="sha256").hexdigest().encode()
        self.once_marker = salted_hmac("alphasierra.pages.cache", "once", algorithm="sha256").hexdigest().encode()
        self.tokens = (
            (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'), b"csrfmiddlewaretoken", self.csrf_marker),
            (re.compile(rf'name="{ONCE_FIELD}" value="[^"]*"'.encode()), ONCE_FIELD.encode(), self.once_marker),
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.PAGE_CACHE_SECONDS or not _anonymous_read(request):
            return self.get_response(request)
        key = self.page_key(request)
        names = _site_names(request)
        found = cache.get_many([key, *(generation_key(name) for name in names)])
        generations = {name: found.get(generation_key(name)) for name in names}
        entry = found.get(key)
        if entry is not None and all(generations.get(name) == value for name, value in entry["generations"].items()):
            return self.serve(request, entry)
        response = self.get_response(request)
        if request.method == "GET" and isinstance(response, HttpResponse):
            self.keep(request, response, key, generations)
        return response

    def page_key(self, request: HttpRequest) -> str:
        shown_from = request.COOKIES.get(SITE_COOKIE_NAME, "") if request.path_info.startswith(SHARED_PAGES) else ""
        # The marker too: pages kept under another secret key are never read.
        parts = [self.csrf_marker.decode(), request.LANGUAGE_CODE, shown_from, request.build_absolute_uri()]
        return "public-page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def serve(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        content: bytes = entry["content"]
        if self.csrf_marker in content:
            # Django's own token for this visitor: it sets their CSRF cookie on the way out.
            content = content.replace(self.csrf_marker, get_token(request).encode())
        if self.once_marker in content:
            # A token of its own for each form, as ``{% form_once %}`` renders them.
            first, *rest = content.split(self.once_marker)
            page = request.get_full_path()
            content = first + b"".join(form_token_new(page=page).encode() + part for part in rest)
        response = HttpResponse(content, headers=dict(entry["headers"]))
        if entry["site"] is not None:
            site_remember(request, response, entry["site"])
        return response

    def keep(self, request: HttpRequest, response: HttpResponse, key: str, generations: dict[str, str | None]) -> None:
        match = request.resolver_match
        if (
            response.status_code != 200
            or match is None
            or match.view_name not in PUBLIC_PAGES
            or request.user.is_authenticated
            or request.session.modified
            or len(get_messages(request)) > 0
            or set(response.cookies) - {SITE_COOKIE_NAME}
        ):
            return
        content = response.content
        for pattern, field, marker in self.tokens:
            content, replaced = pattern.subn(b'name="' + field + b'" value="' + marker + b'"', content)
            if replaced != content.count(field):
                return  # a token written some other way: it would be served to everyone
        organisation = request.organisation  # type: ignore[attr-defined]
        shown = {site_name(organisation), site_name(site_shown(request)["site_shown"] or organisation), EVERY_SITE}
        if not shown <= generations.keys():
            return
        missing = [name for name in shown if generations[name] is None]
        if missing:
            # The first page of these sites since the cache started (or lost
            # their generations): their generations start now, and the next
            # visitor's answer is kept. This one was rendered before they
            # existed, and a change meanwhile would go unnoticed.
            for name in missing:
                cache.add(generation_key(name), generation_new(), timeout=None)
            return
        remembered = getattr(request, "site_to_remember", None)
        entry = {
            "content": content,
            "headers": [(name, value) for name, value in response.items() if name.lower() not in _HEADERS_LEFT],
            "generations": {name: generations[name] for name in shown},
            "site": remembered.slug if remembered is not None else None,
        }
        cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)


def _anonymous_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _site_names(request: HttpRequest) -> set[str]:
    """The sites whose generations a page at this address may depend on: the
    site of its path and, on the shared pages, the one it may name in its
    header (from ``next``, or the site cookie; see ``site_shown``)."""
    names = {EVERY_SITE, site_name_for_path(request.path_info)}
    if request.path_info.startswith(SHARED_PAGES):
        following = request.GET.get("next", "")
        if following.startswith("/") and not following.startswith("//"):
            names.add(site_name_for_path(following))
        names.add(request.COOKIES.get(SITE_COOKIE_NAME, ""))
    # Only what can be a site's name goes into a cache key.
    return {name for name in names if name in (EVERY_SITE, NATIONAL) or _SLUG.fullmatch(name)}
