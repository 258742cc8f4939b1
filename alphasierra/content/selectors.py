"""What a site shows of its content, and what its editor lists. Each function
runs a fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import CharField, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.utils.dateparse import parse_datetime

from alphasierra.content.access import access_news_listed, access_pages_shown
from alphasierra.content.models import Home, Image, NewsItem, Page, Revision, page_url
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
    return item.revisions.select_related("created_by", "published_by", "restored_from").order_by("-created_at", "-id")


def draft_of(item: Home | Page | NewsItem) -> Revision | None:
    """The version being prepared: the newest one, when it is not published."""
    newest = item.revisions.order_by("-created_at", "-id").first()
    return newest if newest is not None and newest.is_draft else None


# --- The managers' editor -----------------------------------------------------


def is_on_site(item: Home | Page | NewsItem) -> bool:
    """Whether visitors read a published version of it (a news item dated
    in the future is on the site, waiting for its date)."""
    if isinstance(item, Home):
        return item.published_at is not None
    return item.state == Page.State.PUBLISHED


def live_revision(item: Home | Page | NewsItem) -> Revision | None:
    """The version visitors read: the one published last, while the item is
    on the site (a version published again by restoring is a new revision)."""
    if not is_on_site(item):
        return None
    return item.revisions.filter(published_at__isnull=False).order_by("-published_at", "-id").first()


@dataclass(frozen=True)
class History:
    """Every version of a home, page or news item, newest first; the one
    visitors read (``live``), and the draft being prepared (``draft``: the
    newest version, when it is not published)."""

    revisions: list[Revision]
    live: Revision | None
    draft: Revision | None


def history_of(item: Home | Page | NewsItem | None) -> History:
    """In one query, whatever the number of versions."""
    if item is None:
        return History([], None, None)
    revisions = list(revisions_of(item))
    published = [r for r in revisions if r.published_at is not None]
    live = max(published, key=lambda r: (r.published_at, r.pk)) if published and is_on_site(item) else None
    draft = revisions[0] if revisions and revisions[0].is_draft else None
    return History(revisions, live, draft)


@dataclass(frozen=True)
class Standing:
    """Where a version stands among its item's versions."""

    live: bool  # what visitors read
    newest: bool  # the last one saved


def revision_standing(revision: Revision, item: Home | Page | NewsItem) -> Standing:
    live = live_revision(item)
    newest = item.revisions.order_by("-created_at", "-id").values_list("pk", flat=True).first()
    return Standing(live=live is not None and live.pk == revision.pk, newest=newest == revision.pk)


def editing_values(item: Home | Page | NewsItem | None, draft: Revision | None) -> dict[str, Any]:
    """What the editor's form starts from: the draft being prepared, else
    what is published (the live row); ``image`` is an image's id and
    ``publish_on`` a datetime, as in a revision's data."""
    if draft is not None:
        data = dict(draft.data)
    elif item is None:
        return {}
    elif isinstance(item, Home):
        data = {
            "banner_title": item.banner_title,
            "banner_text": item.banner_text,
            "image": item.image_id,
            "introduction": item.introduction,
            "tiles": item.tiles,
        }
    elif isinstance(item, Page):
        data = {name: getattr(item, name) for name in ("title", "slug", "body", "in_menu", "menu_order")}
    else:
        data = {"title": item.title, "summary": item.summary, "body": item.body, "image": item.image_id}
        data["publish_on"] = item.publish_on
    if isinstance(data.get("publish_on"), str):
        data["publish_on"] = parse_datetime(data["publish_on"])
    return data


def revision_image(revision: Revision) -> Image | None:
    """The image a version shows, if it is still among its site's uploads."""
    pk = revision.data.get("image")
    if pk is None:
        return None
    return Image.objects.filter(organisation=revision.organisation, pk=pk).first()


def revision_moment(revision: Revision) -> datetime | None:
    """A news item's publication date, as the version holds it."""
    value = revision.data.get("publish_on")
    return parse_datetime(value) if isinstance(value, str) else None


def _newest(kind: str) -> QuerySet[Revision]:
    return Revision.objects.filter(**{kind: OuterRef("pk")}).order_by("-created_at", "-id")


def pages_listed(pages: QuerySet[Page]) -> QuerySet[Page]:
    """The site's pages for its editor: those in the menu first, in its order;
    each with its last change and whether a draft waits (``newest_published_at``
    is None while the newest version is a draft)."""
    newest = _newest("page")
    # The organisation makes each page's address.
    return (
        pages.select_related("organisation")
        .annotate(
            last_change=Subquery(newest.values("created_at")[:1]),
            newest_published_at=Subquery(newest.values("published_at")[:1]),
        )
        .order_by("-in_menu", "menu_order", "title", "pk")
    )


def news_listed(news: QuerySet[NewsItem]) -> QuerySet[NewsItem]:
    """The site's news for its editor, the latest first, as ``pages_listed``."""
    newest = _newest("news")
    return news.annotate(
        last_change=Subquery(newest.values("created_at")[:1]),
        newest_published_at=Subquery(newest.values("published_at")[:1]),
    ).order_by("-publish_on", "-pk")
