"""The content visitors read, in the access matrix's world
(``tests/test_access_matrix``): for A (Sud-Ouest), B (Nord) and the national
site, a page and a news item in each state, made through the services."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from alphasierra.content.models import NewsItem, Page
from alphasierra.content.tests import published
from alphasierra.organisations.models import Organisation

Objects = dict[str, dict[str, dict[str, Any]]]

PAGE_STATES = ("published", "draft", "withdrawn")
# "future": published, for a date to come.
NEWS_STATES = ("published", "draft", "withdrawn", "future")


def _pages(organisation: Organisation, prefix: str) -> dict[str, str]:
    """A page in each state; each site's slugs differ, so that B's slug on
    A's site names no page there."""
    return {
        state: published.page(organisation, title=f"Page {state}", slug=f"{prefix}-{state}", state=state).slug
        for state in PAGE_STATES
    }


def _news(organisation: Organisation) -> dict[str, int]:
    made = {state: published.news(organisation, title=f"Actualité {state}", state=state) for state in PAGE_STATES}
    made["future"] = published.news(
        organisation, title="Actualité à venir", publish_on=timezone.now() + timedelta(days=1)
    )
    return {state: item.pk for state, item in made.items()}


def public_content_world(orgs: dict[str, Organisation]) -> Objects:
    """On the national site, ``B`` is a page or item of A: another site's."""
    pages = {"A": _pages(orgs["sud-ouest"], "a"), "B": _pages(orgs["nord"], "b"), "N": _pages(orgs["national"], "n")}
    news = {"A": _news(orgs["sud-ouest"]), "B": _news(orgs["nord"]), "N": _news(orgs["national"])}
    return {
        "public_page": {state: {"A": pages["A"][state], "B": pages["B"][state]} for state in PAGE_STATES},
        "public_news": {state: {"A": news["A"][state], "B": news["B"][state]} for state in NEWS_STATES},
        "national_page": {state: {"A": pages["N"][state], "B": pages["A"][state]} for state in PAGE_STATES},
        "national_news": {state: {"A": news["N"][state], "B": news["A"][state]} for state in NEWS_STATES},
    }


def content_world_has_every_state(objects: Objects) -> bool:
    now = timezone.now()
    pages = all(
        {page.state for page in Page.objects.filter(slug__in=slugs.values())} == {state}
        for state, slugs in objects["public_page"].items()
    )
    news = all(
        {
            "future" if item.state == "published" and item.publish_on > now else item.state
            for item in NewsItem.objects.filter(pk__in=pks.values())
        }
        == {state}
        for state, pks in objects["public_news"].items()
    )
    return pages and news
