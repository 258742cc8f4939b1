"""Each site's content in the access matrix's world (``tests/test_access_matrix``):
for A (Sud-Ouest), B (Nord), ARAMIS and the national site, a page and a news
item in each state and a page's versions in each standing, made through the
services; and what a successful POST to each of the editor's forms sends and
must have done.

Variants: ``A``, ``B``, ``AxB`` (B's object on A's site), ``association``
(ARAMIS); on the national routes, ``N`` (the national site's object) and
``NxA`` (A's object at a national address)."""

from collections.abc import Callable
from typing import Any

from alphasierra.accounts.models import User
from alphasierra.content.models import NewsItem, Page, Revision
from alphasierra.content.services.editing import content_withdraw, revision_publish
from alphasierra.content.tests.drafts import a_news_item, a_page, newest, page_draft
from alphasierra.organisations.models import Organisation

Objects = dict[str, dict[str, dict[str, Any]]]

CONTENT_STATES = ("draft", "published", "withdrawn")
# A version's standing: the draft being prepared, the one online, one published before.
REVISION_STATES = ("draft", "live", "old")


def _site(organisation: Organisation, actor: User) -> dict[str, dict[str, int]]:
    made: dict[str, dict[str, int]] = {"content_page": {}, "content_news": {}, "content_revision": {}}
    for state in CONTENT_STATES:
        page = a_page(organisation, actor, publish=state != "draft", title=f"Page {state}", slug=f"page-{state}")
        news = a_news_item(organisation, actor, publish=state != "draft", title=f"Actualité {state}")
        if state == "withdrawn":
            content_withdraw(item=page, actor=actor)
            content_withdraw(item=news, actor=actor)
        made["content_page"][state], made["content_news"][state] = page.pk, news.pk
    versions = a_page(organisation, actor, title="Versions", slug="versions")
    old = newest(versions)
    live = page_draft(versions, actor, title="Versions, la deuxième")
    revision_publish(revision=live, actor=actor)
    draft = page_draft(versions, actor, title="Versions, la troisième")
    made["content_revision"] = {"old": old.pk, "live": live.pk, "draft": draft.pk}
    return made


def content_world(users: dict[str, User], orgs: dict[str, Organisation]) -> Objects:
    sites = {
        "A": (orgs["sud-ouest"], users["bruno"]),
        "B": (orgs["nord"], users["nord_manager"]),
        "association": (orgs["aramis"], users["david"]),
        "N": (orgs["national"], users["nadia"]),
    }
    made = {variant: _site(organisation, actor) for variant, (organisation, actor) in sites.items()}
    objects: Objects = {}
    for kind, states in (
        ("content_page", CONTENT_STATES),
        ("content_news", CONTENT_STATES),
        ("content_revision", REVISION_STATES),
    ):
        objects[kind] = {
            state: {**{variant: made[variant][kind][state] for variant in sites}, "NxA": made["A"][kind][state]}
            for state in states
        }
    return objects


def world_has_every_content_state(objects: Objects) -> bool:
    pages = all(
        set(Page.objects.filter(pk__in=pks.values()).values_list("state", flat=True)) == {state}
        for state, pks in objects["content_page"].items()
    )
    news = all(
        set(NewsItem.objects.filter(pk__in=pks.values()).values_list("state", flat=True)) == {state}
        for state, pks in objects["content_news"].items()
    )
    drafts = Revision.objects.filter(pk__in=objects["content_revision"]["draft"].values())
    return pages and news and not drafts.filter(published_at__isnull=False).exists()


# --- What a successful POST sends, and what it must have done -----------------

TITLE = "Écrit au tableau"


def _page_edit(cell: Any) -> dict[str, Any]:
    page = Page.objects.get(pk=cell.pk)
    return {"title": TITLE, "slug": page.slug, "body": "Texte", "menu_order": "0"}


def _news(cell: Any) -> dict[str, Any]:
    return {"title": TITLE, "summary": "Résumé", "publish_on": "2036-01-10T10:00"}


def _revised(**lookup: Any) -> bool:
    return Revision.objects.filter(data__title=TITLE, **lookup).exists()


def content_actions() -> dict[str, tuple[Callable[[Any], dict[str, Any]], Callable[[Any], bool]]]:
    actions: dict[str, tuple[Callable[[Any], dict[str, Any]], Callable[[Any], bool]]] = {}
    for prefix in ("<slug:site>/gestion/contenu/", "gestion/contenu/"):
        actions |= {
            f"{prefix}accueil/": (
                lambda c: {"banner_title": TITLE},
                lambda c: Revision.objects.filter(home__isnull=False, data__banner_title=TITLE).exists(),
            ),
            f"{prefix}pages/nouvelle/": (
                lambda c: {"title": TITLE, "slug": "ecrit-au-tableau", "menu_order": "0"},
                lambda c: Page.objects.filter(title=TITLE).exists(),
            ),
            f"{prefix}pages/<int:pk>/": (_page_edit, lambda c: _revised(page_id=c.pk)),
            f"{prefix}pages/<int:pk>/retirer/": (
                lambda c: {},
                lambda c: Page.objects.get(pk=c.pk).state == Page.State.WITHDRAWN,
            ),
            f"{prefix}actualites/nouvelle/": (_news, lambda c: NewsItem.objects.filter(title=TITLE).exists()),
            f"{prefix}actualites/<int:pk>/": (_news, lambda c: _revised(news_id=c.pk)),
            f"{prefix}actualites/<int:pk>/retirer/": (
                lambda c: {},
                lambda c: NewsItem.objects.get(pk=c.pk).state == NewsItem.State.WITHDRAWN,
            ),
            f"{prefix}versions/<int:pk>/publier/": (
                lambda c: {},
                lambda c: Revision.objects.get(pk=c.pk).published_at is not None,
            ),
            f"{prefix}versions/<int:pk>/restaurer/": (
                lambda c: {},
                lambda c: Revision.objects.filter(restored_from_id=c.pk).exists(),
            ),
        }
    return actions
