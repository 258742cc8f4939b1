"""What a site shows of its content, and what its editor lists. Each function
runs a fixed number of queries, whatever the number of rows."""

from django.db.models import QuerySet

from alphasierra.content.access import access_news_listed, access_pages_shown
from alphasierra.content.models import Home, NewsItem, Page, Revision
from alphasierra.organisations.models import Organisation

# How many news items the home page shows.
HOME_NEWS = 3


def home_shown(*, organisation: Organisation) -> Home | None:
    """The site's home as published by its managers, or None: the default home."""
    return Home.objects.filter(organisation=organisation, published_at__isnull=False).select_related("image").first()


def menu_pages(*, organisation: Organisation) -> list[Page]:
    """The published pages placed in the site's menu, in their order."""
    return list(access_pages_shown(organisation=organisation).filter(in_menu=True).order_by("menu_order", "title"))


def news_latest(*, organisation: Organisation, count: int = HOME_NEWS) -> list[NewsItem]:
    return list(access_news_listed(organisation=organisation).select_related("image")[:count])


def news_all(*, organisation: Organisation) -> QuerySet[NewsItem]:
    return access_news_listed(organisation=organisation).select_related("image")


def revisions_of(item: Home | Page | NewsItem) -> QuerySet[Revision]:
    """Every saved version, newest first, with who saved and published it."""
    return item.revisions.select_related("created_by", "published_by").order_by("-created_at", "-id")


def draft_of(item: Home | Page | NewsItem) -> Revision | None:
    """The version being prepared: the newest one, when it is not published."""
    newest = item.revisions.order_by("-created_at", "-id").first()
    return newest if newest is not None and newest.is_draft else None
