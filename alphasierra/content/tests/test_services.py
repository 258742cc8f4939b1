"""Writing a site's content: drafts, publishing, restoring, withdrawing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alphasierra.audit.models import AuditEvent
from alphasierra.content.access import access_news_listed, access_pages_shown
from alphasierra.content.errors import ContentStateError
from alphasierra.content.models import Home, NewsItem, Page, Revision
from alphasierra.content.selectors import draft_of, history_of, home_shown, live_revision
from alphasierra.content.services.editing import (
    content_withdraw,
    home_draft_save,
    news_create,
    page_create,
    revision_publish,
    revision_restore,
)
from alphasierra.content.tests.drafts import (
    a_home,
    a_news_item,
    a_page,
    an_image,
    home_values,
    newest,
    news_draft,
    news_values,
    page_draft,
    page_values,
)
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sud_ouest(cast) -> Organisation:
    return Organisation.objects.get(slug="sud-ouest")


@pytest.fixture
def nord(cast) -> Organisation:
    return Organisation.objects.get(slug="nord")


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- Drafts ---------------------------------------------------------------------


def test_a_new_page_is_a_draft_that_visitors_do_not_see(cast, sud_ouest):
    page = page_create(organisation=sud_ouest, actor=cast.bruno, values=page_values())

    assert page.state == Page.State.DRAFT
    assert not access_pages_shown(organisation=sud_ouest).exists()
    revision = Revision.objects.get(page=page)
    assert revision.is_draft
    assert revision.created_by == cast.bruno
    [event] = events("content.created")
    assert (event.actor, event.organisation, event.data["revision"]) == (cast.bruno, sud_ouest, revision.pk)


def test_the_markdown_is_rendered_and_cleaned_once_when_saved(cast, sud_ouest):
    body = "## Horaires\n\nLe **mardi**. <script>alert(1)</script> [lien](javascript:alert(1))"
    page = page_create(organisation=sud_ouest, actor=cast.bruno, values=page_values(body=body))

    html = newest(page).data["body_html"]
    assert "<h2>Horaires</h2>" in html
    assert "<strong>mardi</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html


def test_a_draft_does_not_change_what_visitors_read(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)
    news = a_news_item(sud_ouest, cast.bruno)
    a_home(sud_ouest, cast.bruno, banner_title="Bienvenue")

    page_draft(page, cast.bruno, title="Permanences d'été", body="Fermé en août.")
    news_draft(news, cast.bruno, title="Arbre de Noël reporté")
    home_draft_save(organisation=sud_ouest, actor=cast.bruno, values=home_values(banner_title="Nouveau titre"))

    shown = access_pages_shown(organisation=sud_ouest).get()
    assert (shown.title, shown.body) == ("Nos permanences", page_values()["body"])
    assert "Fermé en août" not in shown.body_html
    assert home_shown(organisation=sud_ouest).banner_title == "Bienvenue"  # type: ignore[union-attr]
    assert access_news_listed(organisation=sud_ouest).get().title == "Arbre de Noël"


def test_two_saves_make_two_versions_the_newest_being_the_draft(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno, publish=False)

    first = page_draft(page, cast.bruno, title="Premier essai")
    second = page_draft(page, cast.bruno, title="Second essai")

    assert page.revisions.count() == 3
    assert (first.data["title"], second.data["title"]) == ("Premier essai", "Second essai")
    assert draft_of(page) == second
    assert len(events("content.draft_saved")) == 2


def test_a_home_is_made_on_its_first_draft_and_shown_only_once_published(cast, sud_ouest):
    revision = home_draft_save(organisation=sud_ouest, actor=cast.bruno, values=home_values())

    home = Home.objects.get(organisation=sud_ouest)
    assert not home.is_published
    assert home_shown(organisation=sud_ouest) is None

    revision_publish(revision=revision, actor=cast.bruno)

    shown = home_shown(organisation=sud_ouest)
    assert shown is not None
    assert shown.banner_title == "Bienvenue au CLAS"
    assert shown.tiles == [{"title": "Nos activités", "url": "/sud-ouest/activites/", "description": ""}]
    assert "<strong>sorties</strong>" in shown.introduction_html


def test_more_than_six_highlighted_links_are_refused(cast, sud_ouest):
    tiles = [{"title": f"Lien {n}", "url": f"/sud-ouest/pages/{n}/", "description": ""} for n in range(7)]

    with pytest.raises(ValidationError) as refused:
        home_draft_save(organisation=sud_ouest, actor=cast.bruno, values=home_values(tiles=tiles))

    assert "tiles" in refused.value.message_dict
    assert not Revision.objects.exists()
    assert not Home.objects.exists()


def test_an_image_of_another_site_is_refused(cast, sud_ouest, nord):
    theirs = an_image(nord)

    with pytest.raises(ValueError, match="another site"):
        news_create(organisation=sud_ouest, actor=cast.bruno, values=news_values(image=theirs))
    with pytest.raises(ValueError, match="another site"):
        home_draft_save(organisation=sud_ouest, actor=cast.bruno, values=home_values(image=theirs))

    assert not NewsItem.objects.exists()
    assert not Revision.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="content.").exists()


def test_an_image_of_the_site_is_kept_by_its_id_and_shown_once_published(cast, sud_ouest):
    ours = an_image(sud_ouest)

    news = a_news_item(sud_ouest, cast.bruno, image=ours)

    assert newest(news).data["image"] == ours.pk
    assert news.image == ours


# --- Addresses of pages -----------------------------------------------------------


def test_two_pages_of_a_site_cannot_share_an_address(cast, sud_ouest, nord):
    page_create(organisation=sud_ouest, actor=cast.bruno, values=page_values())
    other = page_create(organisation=sud_ouest, actor=cast.bruno, values=page_values(slug="contact"))

    with pytest.raises(ValidationError) as on_create:
        page_create(organisation=sud_ouest, actor=cast.bruno, values=page_values(title="Autre"))
    with pytest.raises(ValidationError) as on_save:
        page_draft(other, cast.bruno, slug="nos-permanences")

    assert "slug" in on_create.value.message_dict
    assert "slug" in on_save.value.message_dict
    assert Page.objects.filter(organisation=sud_ouest).count() == 2
    # Another site may have a page at the same address.
    assert page_create(organisation=nord, actor=cast.nadia, values=page_values()).slug == "nos-permanences"


def test_a_draft_whose_address_was_taken_since_cannot_be_published(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno, publish=False, slug="horaires")
    draft = page_draft(page, cast.bruno, slug="permanences")
    a_page(sud_ouest, cast.bruno, title="Permanences", slug="permanences")

    with pytest.raises(ValidationError) as refused:
        revision_publish(revision=draft, actor=cast.bruno)

    assert "slug" in refused.value.message_dict
    page.refresh_from_db()
    assert (page.state, page.slug) == (Page.State.DRAFT, "horaires")
    draft.refresh_from_db()
    assert draft.is_draft


# --- Publishing -------------------------------------------------------------------


def test_publishing_puts_the_version_on_the_site_and_is_audited(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno, publish=False)
    draft = page_draft(page, cast.bruno, title="Nos permanences d'hiver", in_menu=False)

    revision_publish(revision=draft, actor=cast.bruno)

    page.refresh_from_db()
    draft.refresh_from_db()
    assert (page.state, page.title, page.in_menu) == (Page.State.PUBLISHED, "Nos permanences d'hiver", False)
    assert page.body_html == draft.data["body_html"]
    assert page.published_at == draft.published_at
    assert draft.published_by == cast.bruno
    [event] = events("content.published")
    assert event.data == {"kind": "page", "id": page.pk, "title": "Nos permanences d'hiver", "revision": draft.pk}


def test_publishing_a_version_already_published_is_refused_and_changes_nothing(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)
    revision = newest(page)
    published_at = revision.published_at

    with pytest.raises(ContentStateError) as refused:
        revision_publish(revision=revision, actor=cast.nadia)

    assert refused.value.code == "already_published"
    revision.refresh_from_db()
    assert (revision.published_at, revision.published_by) == (published_at, cast.bruno)
    assert len(events("content.published")) == 1


def test_a_news_item_dated_in_the_future_waits_for_its_date(cast, sud_ouest):
    later = timezone.now() + timedelta(days=3)

    news = a_news_item(sud_ouest, cast.bruno, publish_on=later)

    assert news.state == NewsItem.State.PUBLISHED
    assert news.publish_on == later
    assert not access_news_listed(organisation=sud_ouest).exists()
    assert access_news_listed(organisation=sud_ouest, now=later).get() == news


# --- Restoring ---------------------------------------------------------------------


def test_restoring_publishes_a_copy_keeps_the_history_and_is_audited(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno, title="Première version")
    first = newest(page)
    revision_publish(revision=page_draft(page, cast.bruno, title="Deuxième version"), actor=cast.bruno)

    copy = revision_restore(revision=first, actor=cast.bruno)

    page.refresh_from_db()
    assert page.title == "Première version"
    assert copy.restored_from == first
    assert copy.data == first.data
    assert copy.published_by == cast.bruno
    history = history_of(page)
    assert [r.data["title"] for r in history.revisions] == ["Première version", "Deuxième version", "Première version"]
    assert history.live == copy
    assert live_revision(page) == copy
    [event] = events("content.restored")
    assert event.data["restored_from"] == first.pk
    assert event.data["revision"] == copy.pk


def test_an_older_draft_can_be_restored(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno, publish=False, title="Brouillon A")
    older = newest(page)
    page_draft(page, cast.bruno, title="Brouillon B")

    revision_restore(revision=older, actor=cast.bruno)

    page.refresh_from_db()
    assert (page.state, page.title) == (Page.State.PUBLISHED, "Brouillon A")
    older.refresh_from_db()
    assert older.is_draft  # the copy was published, the draft itself stays as it was


def test_restoring_the_version_online_is_refused(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)

    with pytest.raises(ContentStateError) as refused:
        revision_restore(revision=newest(page), actor=cast.bruno)

    assert refused.value.code == "already_live"
    assert page.revisions.count() == 1
    assert not events("content.restored")


# --- Withdrawing ---------------------------------------------------------------------


def test_withdrawing_takes_it_off_the_site_and_keeps_its_versions(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)
    news = a_news_item(sud_ouest, cast.bruno)

    content_withdraw(item=page, actor=cast.bruno)
    content_withdraw(item=news, actor=cast.bruno)

    page.refresh_from_db()
    news.refresh_from_db()
    assert (page.state, news.state) == (Page.State.WITHDRAWN, NewsItem.State.WITHDRAWN)
    assert not access_pages_shown(organisation=sud_ouest).exists()
    assert not access_news_listed(organisation=sud_ouest).exists()
    assert page.revisions.count() == 1
    assert live_revision(page) is None
    assert [e.data["kind"] for e in events("content.withdrawn")] == ["page", "news"]


def test_a_withdrawn_page_is_put_back_by_publishing_its_newest_version(cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)
    content_withdraw(item=page, actor=cast.bruno)

    revision_restore(revision=newest(page), actor=cast.bruno)

    page.refresh_from_db()
    assert page.state == Page.State.PUBLISHED
    assert access_pages_shown(organisation=sud_ouest).get() == page


@pytest.mark.parametrize("state", ["draft", "withdrawn"])
def test_withdrawing_what_is_not_online_is_refused(cast, sud_ouest, state):
    page = a_page(sud_ouest, cast.bruno, publish=state == "withdrawn")
    if state == "withdrawn":
        content_withdraw(item=page, actor=cast.bruno)
    before = AuditEvent.objects.count()

    with pytest.raises(ContentStateError) as refused:
        content_withdraw(item=page, actor=cast.bruno)

    assert refused.value.code == "not_on_site"
    page.refresh_from_db()
    assert page.state == state
    assert AuditEvent.objects.count() == before
