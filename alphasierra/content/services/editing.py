"""Writing a site's content: drafts saved, published, restored, withdrawn.

Each save of the editor is a new ``Revision`` holding the whole form and the
HTML rendered from it, once; visitors keep reading the live row until a
revision is published into it. Restoring an older version publishes a copy
of it as a new revision, so that the history only grows.
"""

from collections.abc import Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User
from alphasierra.audit.services import audit_record
from alphasierra.content.errors import ContentStateError
from alphasierra.content.models import TILES_MAX, Home, Image, NewsItem, Page, Revision
from alphasierra.content.rendering import content_html
from alphasierra.content.selectors import live_revision
from alphasierra.organisations.generations import public_pages_changed
from alphasierra.organisations.models import Organisation

HOME_FIELDS = ("banner_title", "banner_text", "image", "introduction", "tiles")
PAGE_FIELDS = ("title", "slug", "body", "in_menu", "menu_order")
NEWS_FIELDS = ("title", "summary", "body", "image", "publish_on")
# The Markdown field of each kind, rendered into ``<field>_html``.
MARKDOWN_FIELD = {"home": "introduction", "page": "body", "news": "body"}

type Item = Home | Page | NewsItem


def kind_of(item: Item) -> str:
    return {Home: "home", Page: "page", NewsItem: "news"}[type(item)]


def item_of(revision: Revision) -> Item:
    item = revision.home or revision.page or revision.news
    assert item is not None  # noqa: S101 -- the database's check constraint
    return item


# --- Saving drafts --------------------------------------------------------------


@transaction.atomic
def home_draft_save(*, organisation: Organisation, actor: User, values: Mapping[str, Any]) -> Revision:
    """A draft of the site's home page (the home row is made on the first save)."""
    home, _created = Home.objects.get_or_create(organisation=organisation)
    return _draft_save(home, actor=actor, values=values, fields=HOME_FIELDS)


@transaction.atomic
def page_create(*, organisation: Organisation, actor: User, values: Mapping[str, Any]) -> Page:
    """A new page, as a draft: not on the site until published."""
    _check_slug_free(organisation, str(values["slug"]), page=None)
    page = Page.objects.create(
        organisation=organisation, title=values["title"], slug=values["slug"], state=Page.State.DRAFT
    )
    _draft_save(page, actor=actor, values=values, fields=PAGE_FIELDS, created=True)
    return page


@transaction.atomic
def page_draft_save(*, page: Page, actor: User, values: Mapping[str, Any]) -> Revision:
    _check_slug_free(page.organisation, str(values["slug"]), page=page)
    return _draft_save(page, actor=actor, values=values, fields=PAGE_FIELDS)


@transaction.atomic
def news_create(*, organisation: Organisation, actor: User, values: Mapping[str, Any]) -> NewsItem:
    """A new news item, as a draft."""
    news = NewsItem.objects.create(
        organisation=organisation,
        title=values["title"],
        summary=values["summary"],
        publish_on=values.get("publish_on") or timezone.now(),
        state=NewsItem.State.DRAFT,
    )
    _draft_save(news, actor=actor, values=values, fields=NEWS_FIELDS, created=True)
    return news


@transaction.atomic
def news_draft_save(*, news: NewsItem, actor: User, values: Mapping[str, Any]) -> Revision:
    return _draft_save(news, actor=actor, values=values, fields=NEWS_FIELDS)


def _draft_save(
    item: Item, *, actor: User, values: Mapping[str, Any], fields: tuple[str, ...], created: bool = False
) -> Revision:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    kind = kind_of(item)
    data = _serialised(item.organisation, {name: values.get(name) for name in fields})
    markdown_field = MARKDOWN_FIELD[kind]
    data[f"{markdown_field}_html"] = content_html(item.organisation, data[markdown_field] or "")
    revision = Revision.objects.create(organisation=item.organisation, data=data, created_by=actor, **{kind: item})
    audit_record(
        action="content.created" if created else "content.draft_saved",
        actor=actor,
        organisation=item.organisation,
        data=_audit_data(item, revision),
    )
    return revision


def _serialised(organisation: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in values.items():
        if name == "image":
            if value is not None and value.organisation_id != organisation.pk:
                raise ValueError("An image of another site")
            data[name] = value.pk if value is not None else None
        elif name == "publish_on":
            data[name] = (value or timezone.now()).isoformat()
        elif name == "tiles":
            tiles = list(value or [])
            if len(tiles) > TILES_MAX:
                raise ValidationError({"tiles": _("Six liens au plus.")})
            data[name] = [
                {"title": str(t["title"]), "url": str(t["url"]), "description": str(t.get("description", ""))}
                for t in tiles
            ]
        elif name in ("in_menu",):
            data[name] = bool(value)
        elif name == "menu_order":
            data[name] = int(value or 0)
        else:
            data[name] = "" if value is None else str(value)
    return data


def _check_slug_free(organisation: Organisation, slug: str, *, page: Page | None) -> None:
    others = Page.objects.filter(organisation=organisation, slug=slug)
    if page is not None:
        others = others.exclude(pk=page.pk)
    if others.exists():
        raise ValidationError({"slug": _("Une autre page de ce site a déjà cette adresse.")})


# --- Publishing, restoring, withdrawing -----------------------------------------------


@transaction.atomic
def revision_publish(*, revision: Revision, actor: User) -> None:
    """Puts this draft on the site: the live row takes its fields. A version
    published already (by another manager, from another tab) is refused with
    ``ContentStateError``: publishing it again would rewrite its date."""
    _lock(item_of(revision))
    if Revision.objects.filter(pk=revision.pk, published_at__isnull=False).exists():
        raise ContentStateError("already_published", _("Cette version est déjà publiée."))
    item = _publish(revision, actor=actor)
    audit_record(
        action="content.published",
        actor=actor,
        organisation=revision.organisation,
        # The item as published: its new title, not the one it had before.
        data=_audit_data(item, revision),
    )


@transaction.atomic
def revision_restore(*, revision: Revision, actor: User) -> Revision:
    """Publishes an earlier version again, as a new revision copied from it.
    The version visitors read already is refused with ``ContentStateError``."""
    item = _lock(item_of(revision))
    live = live_revision(item)
    if live is not None and live.pk == revision.pk:
        raise ContentStateError("already_live", _("Cette version est déjà celle en ligne."))
    copy = Revision.objects.create(
        organisation=revision.organisation,
        data=revision.data,
        created_by=actor,
        restored_from=revision,
        **{kind_of(item): item},
    )
    item = _publish(copy, actor=actor)
    audit_record(
        action="content.restored",
        actor=actor,
        organisation=revision.organisation,
        data={**_audit_data(item, copy), "restored_from": revision.pk},
    )
    return copy


def _lock[T: Home | Page | NewsItem](item: T) -> T:
    # The live row is locked: two managers publishing at once each publish a
    # whole version, and each sees what the other did before deciding.
    return cast(T, type(item).objects.select_for_update().get(pk=item.pk))


def _publish(revision: Revision, *, actor: User) -> Item:
    item = _lock(item_of(revision))
    data = revision.data
    now = timezone.now()
    if isinstance(item, Page):
        _check_slug_free(revision.organisation, data["slug"], page=item)
    for name, value in data.items():
        if name == "image":
            item.image = Image.objects.filter(organisation=revision.organisation, pk=value).first()  # type: ignore[union-attr]
        elif name == "publish_on":
            setattr(item, name, parse_datetime(value) or now)
        else:
            setattr(item, name, value)
    if isinstance(item, Home):
        item.published_at = now
    else:
        item.state = Page.State.PUBLISHED
        item.published_at = item.published_at or now
        if isinstance(item, NewsItem):
            item.updated_at = now
    item.save()
    revision.published_at = now
    revision.published_by = actor
    revision.save(update_fields=["published_at", "published_by"])
    public_pages_changed(revision.organisation)
    return item


@transaction.atomic
def content_withdraw(*, item: Page | NewsItem, actor: User) -> None:
    """Takes a page or a news item off the site; its versions stay, to publish
    again. One that is not on the site (a draft, withdrawn already) is refused
    with ``ContentStateError``."""
    item = _lock(item)
    if item.state != Page.State.PUBLISHED:
        message = (
            _("Cette page n'est pas en ligne : rien n'a été retiré.")
            if isinstance(item, Page)
            else _("Cette actualité n'est pas en ligne : rien n'a été retiré.")
        )
        raise ContentStateError("not_on_site", message)
    item.state = Page.State.WITHDRAWN
    item.save(update_fields=["state"])
    public_pages_changed(item.organisation)
    audit_record(action="content.withdrawn", actor=actor, organisation=item.organisation, data=_audit_data(item))


def _audit_data(item: Item, revision: Revision | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": kind_of(item), "id": item.pk}
    if not isinstance(item, Home):
        data["title"] = item.title
    if revision is not None:
        data["revision"] = revision.pk
    return data
