"""What a site shows of its content, and what its editor lists. Each function
runs a fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass

from django.db.models import CharField, IntegerField, QuerySet, Value

from alphasierra.content.access import access_news_listed, access_pages_shown
from alphasierra.content.models import Home, NewsItem, Page, Revision, page_url
from alphasierra.organisations.models import Organisation, Role
from alphasierra.organisations.selectors import directory

# How many news items the home page shows.
HOME_NEWS = 3
# News items on one page of the news list, and in the Atom feed (the same ones).
NEWS_PER_PAGE = 12


def home_shown(*, organisation: Organisation) -> Home | None:
    """The site's home as published by its managers, or None: the default home."""
    return Home.objects.filter(organisation=organisation, published_at__isnull=False).select_related("image").first()


def menu_pages(*, organisation: Organisation) -> list[Page]:
    """The published pages placed in the site's menu, in their order."""
    return list(access_pages_shown(organisation=organisation).filter(in_menu=True).order_by("menu_order", "title"))


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url: str


@dataclass(frozen=True)
class SiteMenu:
    """What a site's header adds to the portal's navigation: its pages placed
    in the menu, and « Actualités » once it has published news."""

    pages: list[MenuEntry]
    has_news: bool
    news_url: str
    feed_url: str


def site_menu(*, organisation: Organisation) -> SiteMenu:
    """The site's menu in one query, whatever the number of pages: the menu's
    pages, and one more row (an empty slug) when the site shows news."""
    pages = (
        access_pages_shown(organisation=organisation)
        .filter(in_menu=True)
        .order_by()
        .values_list("title", "slug", "menu_order")
    )
    # One row, or none: the same constant for every listed item, made distinct.
    news = (
        access_news_listed(organisation=organisation)
        .order_by()
        .values_list(
            Value("", output_field=CharField()),
            Value("", output_field=CharField()),
            Value(0, output_field=IntegerField()),
        )
        .distinct()
    )
    rows = list(pages.union(news, all=True).order_by("menu_order", "title"))
    return SiteMenu(
        pages=[
            MenuEntry(title, page_url(organisation, "content:page", slug=slug)) for title, slug, _order in rows if slug
        ],
        has_news=any(not slug for _title, slug, _order in rows),
        news_url=page_url(organisation, "content:news-list"),
        feed_url=page_url(organisation, "content:news-feed"),
    )


def contact_directory(*, organisations: list[Organisation]) -> list[tuple[Organisation, list[Role]]]:
    """Each CLAS of ``organisations``, in their order, with its correspondents
    from the directory (one query); a CLAS without any is listed too, so that
    every agent finds theirs."""
    by_clas: dict[int, list[Role]] = {}
    for role in directory():
        by_clas.setdefault(role.organisation_id, []).append(role)
    return [(clas, by_clas.get(clas.pk, [])) for clas in organisations if clas.is_clas]


def news_latest(*, organisation: Organisation, count: int = HOME_NEWS) -> list[NewsItem]:
    return list(access_news_listed(organisation=organisation).select_related("organisation", "image")[:count])


def news_all(*, organisation: Organisation) -> QuerySet[NewsItem]:
    """Newest first, each with what its card shows (its image, its site for its address)."""
    return access_news_listed(organisation=organisation).select_related("organisation", "image")


def revisions_of(item: Home | Page | NewsItem) -> QuerySet[Revision]:
    """Every saved version, newest first, with who saved and published it."""
    return item.revisions.select_related("created_by", "published_by").order_by("-created_at", "-id")


def draft_of(item: Home | Page | NewsItem) -> Revision | None:
    """The version being prepared: the newest one, when it is not published."""
    newest = item.revisions.order_by("-created_at", "-id").first()
    return newest if newest is not None and newest.is_draft else None
