"""Pages, news, home pages and images of a site, made through the editing
services as its managers make them, for the content editor's tests."""

import secrets
from typing import Any

from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.content.models import Home, Image, NewsItem, Page, Revision
from alphasierra.content.selectors import draft_of
from alphasierra.content.services.editing import (
    home_draft_save,
    news_create,
    news_draft_save,
    page_create,
    page_draft_save,
    revision_publish,
)
from alphasierra.organisations.models import Organisation


def page_values(**values: Any) -> dict[str, Any]:
    return {
        "title": "Nos permanences",
        "slug": "nos-permanences",
        "body": "## Horaires\n\nLe **mardi**, de 9 h à 12 h.",
        "in_menu": True,
        "menu_order": 1,
        **values,
    }


def news_values(**values: Any) -> dict[str, Any]:
    return {
        "title": "Arbre de Noël",
        "summary": "Le spectacle des enfants, le 13 décembre.",
        "body": "Inscriptions **avant le 1er décembre**.",
        "image": None,
        "publish_on": timezone.now(),
        **values,
    }


def home_values(**values: Any) -> dict[str, Any]:
    return {
        "banner_title": "Bienvenue au CLAS",
        "banner_text": "L'action sociale près de chez vous.",
        "image": None,
        "introduction": "Le CLAS organise **sorties** et séjours.",
        "tiles": [{"title": "Nos activités", "url": "/sud-ouest/activites/", "description": ""}],
        **values,
    }


def an_image(organisation: Organisation, alt: str = "Le lac au coucher du soleil") -> Image:
    """An uploaded image as the images' service stores it (no file is read here)."""
    return Image.objects.create(
        organisation=organisation,
        file=f"contenu/{secrets.token_hex(16)}.jpg",
        alt=alt,
        format=Image.Format.JPEG,
        width=1200,
        height=800,
        size=150_000,
    )


def newest(item: Home | Page | NewsItem) -> Revision:
    revision = item.revisions.order_by("-created_at", "-id").first()
    assert revision is not None
    return revision


def a_page(organisation: Organisation, actor: User, *, publish: bool = True, **values: Any) -> Page:
    page = page_create(organisation=organisation, actor=actor, values=page_values(**values))
    if publish:
        revision_publish(revision=newest(page), actor=actor)
        page.refresh_from_db()
    return page


def a_news_item(organisation: Organisation, actor: User, *, publish: bool = True, **values: Any) -> NewsItem:
    news = news_create(organisation=organisation, actor=actor, values=news_values(**values))
    if publish:
        revision_publish(revision=newest(news), actor=actor)
        news.refresh_from_db()
    return news


def a_home(organisation: Organisation, actor: User, *, publish: bool = True, **values: Any) -> Home:
    revision = home_draft_save(organisation=organisation, actor=actor, values=home_values(**values))
    if publish:
        revision_publish(revision=revision, actor=actor)
    return Home.objects.get(organisation=organisation)


def page_draft(page: Page, actor: User, **values: Any) -> Revision:
    """A new draft of ``page``, from its current values changed by ``values``."""
    current = draft_of(page)
    base = dict(current.data) if current else {name: getattr(page, name) for name in page_values()}
    base.pop("body_html", None)
    return page_draft_save(page=page, actor=actor, values={**base, **values})


def news_draft(news: NewsItem, actor: User, **values: Any) -> Revision:
    return news_draft_save(news=news, actor=actor, values=news_values(**values))
