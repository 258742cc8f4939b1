"""What visitors read of a site's content: its pages, its news and their Atom
feed, and the national « Contact » page. Everyone may read them, logged in
or not; a draft, a withdrawn item, a news item before its date or another
site's content does not exist (404)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from alphasierra.content.access import access_news_shown, access_page_shown
from alphasierra.content.feeds import news_feed as feed_of
from alphasierra.content.selectors import NEWS_PER_PAGE, contact_directory, news_all
from alphasierra.http import PortalRequest


def page(request: PortalRequest, slug: str) -> HttpResponse:
    shown = access_page_shown(organisation=request.organisation, slug=slug)
    return render(request, "content/public/page.html", {"page": shown})


def news_list(request: PortalRequest) -> HttpResponse:
    """« Actualités »: every published item whose date has come, newest first."""
    listed = Paginator(news_all(organisation=request.organisation), NEWS_PER_PAGE)
    return render(
        request, "content/public/news_list.html", {"page": listed.get_page(request.GET.get("page")), "query": ""}
    )


def news_detail(request: PortalRequest, pk: int) -> HttpResponse:
    news = access_news_shown(organisation=request.organisation, pk=pk)
    return render(request, "content/public/news_detail.html", {"news": news})


def news_feed(request: PortalRequest) -> HttpResponse:
    """The site's Atom feed: the items of the news list's first page."""
    organisation = request.organisation
    feed = feed_of(organisation=organisation, items=list(news_all(organisation=organisation)[:NEWS_PER_PAGE]))
    return HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)


def contact(request: PortalRequest) -> HttpResponse:
    """« Contact » of the national site: each CLAS's correspondents, from the directory."""
    groups = contact_directory(organisations=request.portal_organisations)
    return render(request, "content/public/contact.html", {"groups": groups})
