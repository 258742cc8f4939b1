"""Who may read and write each site's content.

A site's content is written by the managers of its organisation: the site
managers of a CLAS, the managers of an association, the national
administrators for the national site. Built on the role look-ups of
``organisations.access`` and their one refusal rule (403 without a role, 404
for another organisation's staff or objects). Visitors read what is
published only: a draft or a withdrawn page does not exist for them.
"""

from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.content.models import Home, Image, NewsItem, Page, Revision
from alphasierra.organisations.access import has_role, require_role
from alphasierra.organisations.models import Organisation, Role

EDITOR_ROLE = {
    Organisation.Kind.CLAS: Role.Kind.SITE_MANAGER,
    Organisation.Kind.ASSOCIATION: Role.Kind.ASSOCIATION_MANAGER,
    Organisation.Kind.NATIONAL: Role.Kind.NATIONAL_ADMIN,
}


# --- What visitors read -------------------------------------------------------


def access_pages_shown(*, organisation: Organisation) -> QuerySet[Page]:
    return Page.objects.filter(organisation=organisation, state=Page.State.PUBLISHED)


def access_page_shown(*, organisation: Organisation, slug: str) -> Page:
    page = access_pages_shown(organisation=organisation).filter(slug=slug).first()
    if page is None:
        raise Http404
    return page


def access_news_listed(*, organisation: Organisation, now: datetime | None = None) -> QuerySet[NewsItem]:
    """Published news from their publication date on."""
    return NewsItem.objects.filter(
        organisation=organisation, state=NewsItem.State.PUBLISHED, publish_on__lte=now or timezone.now()
    )


def access_news_shown(*, organisation: Organisation, pk: int) -> NewsItem:
    news = access_news_listed(organisation=organisation).filter(pk=pk).select_related("image").first()
    if news is None:
        raise Http404
    return news


def access_image_served(*, name: str) -> Image:
    """An uploaded image, by its random name: public, as the pages showing it."""
    image = Image.objects.filter(file=name).first()
    if image is None:
        raise Http404
    return image


# --- The managers' editor -----------------------------------------------------


def may_edit_content(*, user: User, organisation: Organisation) -> bool:
    return has_role(user, organisation, EDITOR_ROLE[Organisation.Kind(organisation.kind)])


def access_content_editor(*, user: User, organisation: Organisation) -> None:
    """The editor of a site's content: its managers only."""
    require_role(user, organisation, (EDITOR_ROLE[Organisation.Kind(organisation.kind)],))


def access_home_to_edit(*, user: User, organisation: Organisation) -> Home | None:
    """The site's home as its managers edit it; None until its first draft."""
    access_content_editor(user=user, organisation=organisation)
    return Home.objects.filter(organisation=organisation).select_related("organisation").first()


def access_pages_to_edit(*, user: User, organisation: Organisation) -> QuerySet[Page]:
    access_content_editor(user=user, organisation=organisation)
    return Page.objects.filter(organisation=organisation)


def access_page_to_edit(*, user: User, organisation: Organisation, pk: int) -> Page:
    page = access_pages_to_edit(user=user, organisation=organisation).filter(pk=pk).select_related("organisation")
    found = page.first()
    if found is None:
        raise Http404
    return found


def access_news_to_edit_all(*, user: User, organisation: Organisation) -> QuerySet[NewsItem]:
    access_content_editor(user=user, organisation=organisation)
    return NewsItem.objects.filter(organisation=organisation)


def access_news_to_edit(*, user: User, organisation: Organisation, pk: int) -> NewsItem:
    news = (
        access_news_to_edit_all(user=user, organisation=organisation)
        .filter(pk=pk)
        .select_related("organisation", "image")
        .first()
    )
    if news is None:
        raise Http404
    return news


def access_revision_to_edit(*, user: User, organisation: Organisation, pk: int) -> Revision:
    """A version of this site's home, a page or a news item; another site's is a 404."""
    access_content_editor(user=user, organisation=organisation)
    revision = (
        Revision.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation", "home", "page", "news")
        .first()
    )
    if revision is None:
        raise Http404
    return revision


def access_images_to_use(*, user: User, organisation: Organisation) -> QuerySet[Image]:
    access_content_editor(user=user, organisation=organisation)
    return Image.objects.filter(organisation=organisation)


def access_image_to_use(*, user: User, organisation: Organisation, pk: int) -> Image:
    """One of this site's images; another site's is a 404."""
    image = access_images_to_use(user=user, organisation=organisation).filter(pk=pk).first()
    if image is None:
        raise Http404
    return image
