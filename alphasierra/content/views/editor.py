"""The managers' editor of a site's content (« Gestion › Contenu du site »):
the overview, the editors of the home page, of pages and of news, each
version's preview, and publishing, restoring and withdrawing.

Saving a form saves a draft (a new version) and leads to its preview, from
which it is published. Every route exists on the national site too (see
``content.urls``): addresses are made with ``page_url``."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alphasierra.content import access
from alphasierra.content.errors import ContentStateError
from alphasierra.content.forms import HomeForm, NewsForm, PageForm
from alphasierra.content.models import Home, NewsItem, Page, Revision, page_url
from alphasierra.content.selectors import (
    draft_of,
    editing_values,
    history_of,
    news_listed,
    pages_listed,
    revision_image,
    revision_moment,
    revision_standing,
)
from alphasierra.content.services.editing import (
    content_withdraw,
    home_draft_save,
    item_of,
    kind_of,
    news_create,
    news_draft_save,
    page_create,
    page_draft_save,
    revision_publish,
    revision_restore,
)
from alphasierra.http import AuthenticatedRequest
from alphasierra.once.decorators import form_once
from alphasierra.organisations.decorators import backoffice
from alphasierra.organisations.zones import moment_format


def _to(request: AuthenticatedRequest, name: str, **kwargs: Any) -> HttpResponseRedirect:
    return redirect(page_url(request.organisation, f"content:{name}", **kwargs))


def _to_editor(request: AuthenticatedRequest, item: Home | Page | NewsItem) -> HttpResponseRedirect:
    if isinstance(item, Home):
        return _to(request, "home-edit")
    return _to(request, "page-edit" if isinstance(item, Page) else "news-edit", pk=item.pk)


def _to_preview(request: AuthenticatedRequest, revision: Revision, message: str) -> HttpResponseRedirect:
    messages.success(request, message)
    return _to(request, "revision", pk=revision.pk)


DRAFT_SAVED = {
    "home": gettext_lazy("Le brouillon de la page d'accueil est enregistré : vérifiez l'aperçu, puis publiez-le."),
    "page": gettext_lazy("Le brouillon de la page est enregistré : vérifiez l'aperçu, puis publiez-le."),
    "news": gettext_lazy("Le brouillon de l'actualité est enregistré : vérifiez l'aperçu, puis publiez-le."),
}


@backoffice
def overview(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    home = access.access_home_to_edit(user=request.user, organisation=organisation)
    pages = access.access_pages_to_edit(user=request.user, organisation=organisation)
    news = access.access_news_to_edit_all(user=request.user, organisation=organisation)
    context = {
        "home": home,
        "home_draft": draft_of(home) if home is not None else None,
        "pages": list(pages_listed(pages)),
        "news_items": list(news_listed(news)),
        "now": timezone.now(),
    }
    return render(request, "content/editor/overview.html", context)


def _saved_as_draft(
    request: AuthenticatedRequest, form: HomeForm | PageForm | NewsForm, save: Callable[[dict[str, Any]], Revision]
) -> HttpResponse | None:
    """Saves a sent form as a new draft and leads to its preview; None when
    the form is to be shown (again, with its errors and what was typed)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        revision = save(form.values())
    except ValidationError as error:
        form.add_service_errors(error.message_dict)
        return None
    return _to_preview(request, revision, str(DRAFT_SAVED[kind_of(item_of(revision))]))


def _first_draft(item: Page | NewsItem) -> Revision:
    revision = draft_of(item)
    assert revision is not None  # noqa: S101 -- page_create and news_create save the first draft
    return revision


def _sent(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@backoffice
@form_once
def home_edit(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    home = access.access_home_to_edit(user=request.user, organisation=organisation)
    images = access.access_images_to_use(user=request.user, organisation=organisation)
    history = history_of(home)
    form = HomeForm(_sent(request), images=images, initial=HomeForm.initial_of(editing_values(home, history.draft)))
    saved = _saved_as_draft(
        request, form, lambda values: home_draft_save(organisation=organisation, actor=request.user, values=values)
    )
    context = {"form": form, "home": home, "history": history, "kind": "home"}
    return saved or render(request, "content/editor/home.html", context)


@backoffice
@form_once
def page_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    access.access_pages_to_edit(user=request.user, organisation=organisation)
    form = PageForm(_sent(request), organisation=organisation)
    saved = _saved_as_draft(
        request,
        form,
        lambda values: _first_draft(page_create(organisation=organisation, actor=request.user, values=values)),
    )
    return saved or render(request, "content/editor/page.html", {"form": form, "page": None, "kind": "page"})


@backoffice
@form_once
def page_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    page = access.access_page_to_edit(user=request.user, organisation=organisation, pk=pk)
    history = history_of(page)
    initial = PageForm.initial_of(editing_values(page, history.draft))
    form = PageForm(_sent(request), organisation=organisation, initial=initial)
    saved = _saved_as_draft(request, form, lambda values: page_draft_save(page=page, actor=request.user, values=values))
    context = {"form": form, "page": page, "history": history, "kind": "page"}
    return saved or render(request, "content/editor/page.html", context)


@backoffice
@form_once
def news_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    access.access_news_to_edit_all(user=request.user, organisation=organisation)
    images = access.access_images_to_use(user=request.user, organisation=organisation)
    form = NewsForm(_sent(request), organisation=organisation, images=images)
    saved = _saved_as_draft(
        request,
        form,
        lambda values: _first_draft(news_create(organisation=organisation, actor=request.user, values=values)),
    )
    return saved or render(request, "content/editor/news.html", {"form": form, "news": None, "kind": "news"})


@backoffice
@form_once
def news_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    news = access.access_news_to_edit(user=request.user, organisation=organisation, pk=pk)
    images = access.access_images_to_use(user=request.user, organisation=organisation)
    history = history_of(news)
    initial = NewsForm.initial_of(editing_values(news, history.draft))
    form = NewsForm(_sent(request), organisation=organisation, images=images, initial=initial)
    saved = _saved_as_draft(request, form, lambda values: news_draft_save(news=news, actor=request.user, values=values))
    context = {"form": form, "news": news, "history": history, "kind": "news", "now": timezone.now()}
    return saved or render(request, "content/editor/news.html", context)


def _withdraw(request: AuthenticatedRequest, item: Page | NewsItem) -> HttpResponse:
    try:
        content_withdraw(item=item, actor=request.user)
    except ContentStateError as error:
        # Someone else acted first (another manager, another tab): nothing was done, and the manager is told.
        messages.warning(request, str(error.message))
    else:
        if isinstance(item, Page):
            messages.success(request, _("La page est retirée du site ; ses versions sont conservées."))
        else:
            messages.success(request, _("L'actualité est retirée du site ; ses versions sont conservées."))
    return _to_editor(request, item)


@backoffice
@require_POST
@form_once
def page_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    page = access.access_page_to_edit(user=request.user, organisation=request.organisation, pk=pk)
    return _withdraw(request, page)


@backoffice
@require_POST
@form_once
def news_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    news = access.access_news_to_edit(user=request.user, organisation=request.organisation, pk=pk)
    return _withdraw(request, news)


@backoffice
def revision_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A version as visitors will see it, with what can be done with it."""
    revision = access.access_revision_to_edit(user=request.user, organisation=request.organisation, pk=pk)
    item = item_of(revision)
    context = {
        "revision": revision,
        "item": item,
        "kind": kind_of(item),
        "data": revision.data,
        "image": revision_image(revision),
        "publish_on": revision_moment(revision),
        "standing": revision_standing(revision, item),
    }
    return render(request, "content/editor/revision.html", context)


def _on_revision(
    request: AuthenticatedRequest, pk: int, act: Callable[[Revision], None], done: Callable[[Revision], str]
) -> HttpResponse:
    """Publishes or restores a version; a stale action (someone acted first)
    or an address taken since comes back to the preview with a message."""
    revision = access.access_revision_to_edit(user=request.user, organisation=request.organisation, pk=pk)
    try:
        act(revision)
    except ContentStateError as error:
        messages.warning(request, str(error.message))
        return _to(request, "revision", pk=revision.pk)
    except ValidationError as error:
        # Another page took its address since the draft was saved.
        messages.error(request, " ".join(error.messages))
        return _to(request, "revision", pk=revision.pk)
    messages.success(request, done(revision))
    return _to_editor(request, item_of(revision))


@backoffice
@require_POST
@form_once
def revision_publish_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _on_revision(
        request,
        pk,
        lambda revision: revision_publish(revision=revision, actor=request.user),
        lambda revision: _published_message(item_of(revision), revision),
    )


def _published_message(item: Home | Page | NewsItem, revision: Revision) -> str:
    if isinstance(item, Home):
        return _("La page d'accueil est publiée : elle est en ligne.")
    if isinstance(item, Page):
        return _("La page est publiée : elle est en ligne.")
    moment = revision_moment(revision)
    if moment is not None and moment > timezone.now():
        return _("L'actualité est publiée : elle paraîtra sur le site le %(date)s.") % {"date": moment_format(moment)}
    return _("L'actualité est publiée : elle est en ligne.")


@backoffice
@require_POST
@form_once
def revision_restore_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def restore(revision: Revision) -> None:
        revision_restore(revision=revision, actor=request.user)

    def done(revision: Revision) -> str:
        when = moment_format(revision.created_at)
        return _("La version du %(date)s est de nouveau en ligne.") % {"date": when}

    return _on_revision(request, pk, restore, done)
