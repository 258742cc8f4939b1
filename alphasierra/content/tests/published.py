"""Content as visitors meet it, made through the editing services: a page or
a news item saved then published (or left a draft, or withdrawn), a home
published, an image stored under MEDIA_ROOT as the portal stores them."""

import io
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from PIL import Image as PillowImage

from alphasierra.accounts.models import User
from alphasierra.content.models import IMAGES_FOLDER, Home, Image, NewsItem, Page
from alphasierra.content.selectors import draft_of
from alphasierra.content.services.editing import (
    content_withdraw,
    home_draft_save,
    news_create,
    page_create,
    revision_publish,
)
from alphasierra.organisations.models import Organisation, Role

BODY = "## Nos permanences\n\nLe mardi de 12 h à 14 h, **bâtiment B**.\n\n- Billetterie\n- Chèques vacances\n"


def manager_of(organisation: Organisation) -> User:
    """Someone who runs the site (the demo gives every site one)."""
    role = Role.objects.filter(organisation=organisation).select_related("user").order_by("pk").first()
    assert role is not None, organisation.slug
    return role.user


def page(
    organisation: Organisation,
    *,
    title: str = "Le CLAS",
    slug: str = "le-clas",
    body: str = BODY,
    in_menu: bool = False,
    menu_order: int = 0,
    state: str = "published",
) -> Page:
    """A page in ``state``: "published", "draft" (never published) or "withdrawn"."""
    actor = manager_of(organisation)
    values = {"title": title, "slug": slug, "body": body, "in_menu": in_menu, "menu_order": menu_order}
    made = page_create(organisation=organisation, actor=actor, values=values)
    return _to_state(made, actor, state)


def news(
    organisation: Organisation,
    *,
    title: str = "Arbre de Noël",
    summary: str = "Le spectacle des enfants aura lieu le 13 décembre.",
    body: str = BODY,
    image: Image | None = None,
    publish_on: datetime | None = None,
    state: str = "published",
) -> NewsItem:
    """A news item in ``state``: "published", "draft" or "withdrawn"; a
    ``publish_on`` in the future makes a published item a scheduled one."""
    actor = manager_of(organisation)
    values = {
        "title": title,
        "summary": summary,
        "body": body,
        "image": image,
        "publish_on": publish_on or timezone.now(),
    }
    made = news_create(organisation=organisation, actor=actor, values=values)
    return _to_state(made, actor, state)


def home(organisation: Organisation, **values: Any) -> Home:
    """The site's home as its managers publish it."""
    defaults: dict[str, Any] = {
        "banner_title": "Bienvenue au CLAS",
        "banner_text": "Sorties, billetterie et vacances des agents et de leurs familles.",
        "image": None,
        "introduction": "## Qui sommes-nous ?\n\nDes agents **bénévoles** au service de tous.",
        "tiles": [],
    }
    actor = manager_of(organisation)
    revision = home_draft_save(organisation=organisation, actor=actor, values={**defaults, **values})
    revision_publish(revision=revision, actor=actor)
    return Home.objects.get(organisation=organisation)


def image(
    organisation: Organisation, *, alt: str = "Le hall d'accueil du CLAS", size: tuple[int, int] = (640, 360)
) -> Image:
    """A real PNG under MEDIA_ROOT, with a random name, as uploads are stored."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (0, 99, 203)).save(buffer, format="PNG")
    name = f"{IMAGES_FOLDER}/{uuid.uuid4().hex}.png"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return Image.objects.create(
        organisation=organisation,
        file=name,
        alt=alt,
        format=Image.Format.PNG,
        width=size[0],
        height=size[1],
        size=len(buffer.getvalue()),
        uploaded_by=manager_of(organisation),
    )


def _to_state[T: (Page, NewsItem)](item: T, actor: User, state: str) -> T:
    if state in ("published", "withdrawn"):
        revision = draft_of(item)
        assert revision is not None
        revision_publish(revision=revision, actor=actor)
    if state == "withdrawn":
        content_withdraw(item=item, actor=actor)
    item.refresh_from_db()
    assert item.state == state, (item.state, state)
    return item
