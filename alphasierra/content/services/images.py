"""The images a site's managers upload for its home page, news and texts.

An upload is checked by its content and re-encoded (``content.images``),
then stored under a random name chosen here: the name a manager's computer
gave the file (« scan passeport Dupont.jpg ») never reaches the disk, the
pages nor the logs, and nobody can guess the address of another image.
"""

import secrets
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alphasierra.accounts.models import User
from alphasierra.audit.services import audit_record
from alphasierra.content.images import image_checked
from alphasierra.content.models import IMAGES_FOLDER, Home, Image, NewsItem, Page, Revision
from alphasierra.organisations.models import Organisation

ALT_MAX = 250
ALT_REQUIRED = gettext_lazy(
    "Décrivez l'image en quelques mots : le texte alternatif est lu à qui ne la voit pas, il est obligatoire."
)


def image_name(extension: str) -> str:
    """A new random name under IMAGES_FOLDER (128 bits: never guessed, never twice)."""
    return f"{IMAGES_FOLDER}/{secrets.token_hex(16)}.{extension}"


@transaction.atomic
def image_upload(*, organisation: Organisation, actor: User, upload: IO[bytes], alt: str) -> Image:
    """Checks ``upload``, stores it re-encoded, and records it for the site.

    Raises ``ValidationError`` with a message for the field at fault
    (``file`` or ``alt``); then nothing is stored."""
    alt = (alt or "").strip()
    if not alt:
        raise ValidationError({"alt": ALT_REQUIRED})
    if len(alt) > ALT_MAX:
        raise ValidationError({"alt": _("Le texte alternatif tient en %(max)d caractères au plus.") % {"max": ALT_MAX}})
    try:
        checked = image_checked(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = image_name(checked.extension)
    # The file is written before the row: a row never names a missing file. If
    # the transaction fails after this point, the file stays behind unnamed by
    # any row, and ``content.views.images.media`` serves only named files.
    stored = default_storage.save(name, ContentFile(checked.data))
    image = Image(
        organisation=organisation,
        file=stored,
        alt=alt,
        format=checked.format,
        width=checked.width,
        height=checked.height,
        size=len(checked.data),
        uploaded_by=actor,
    )
    try:
        image.full_clean()
        image.save()
    except Exception:
        default_storage.delete(stored)
        raise
    audit_record(
        action="content.image_uploaded",
        actor=actor,
        organisation=organisation,
        data={"id": image.pk, "file": stored, "alt": alt, "width": image.width, "height": image.height},
    )
    return image


@transaction.atomic
def image_delete(*, image: Image, actor: User) -> None:
    """Deletes an image no longer shown nor about to be.

    Refused (``ValidationError`` saying where it is used) while the site's
    home page or a news item shows it, as its image or in its text, in the
    published version or in the draft being prepared: the page would show a
    hole. Older versions may still name it; restoring one then shows no image.
    """
    locked = Image.objects.select_for_update().filter(pk=image.pk).first()
    if locked is None:
        return  # deleted a moment ago by another manager: done already
    image = locked
    uses = image_uses(image)
    if uses:
        raise ValidationError(
            _("Cette image est encore utilisée (%(uses)s) : retirez-la de ces contenus avant de la supprimer.")
            % {"uses": ", ".join(uses)}
        )
    name = str(image.file.name)
    pk = image.pk
    image.delete()
    audit_record(
        action="content.image_deleted",
        actor=actor,
        organisation=image.organisation,
        data={"id": pk, "file": name, "alt": image.alt},
    )
    # Only once the row is gone for good: a rolled-back deletion keeps its file.
    transaction.on_commit(lambda: default_storage.delete(name))


def image_uses(image: Image) -> list[str]:
    """Where the site shows, or is about to show, ``image``, in words: its
    home page, news items and pages, published or in their current draft,
    as their image or in their text. A fixed number of queries, whatever
    the number of pages and versions."""
    organisation, url = image.organisation, image.url
    in_text = Q(body_html__contains=url)
    home = Home.objects.filter(Q(image=image) | Q(introduction_html__contains=url), organisation=organisation)
    drafts = _current_drafts(organisation).filter(
        # A draft's HTML is a key of its JSON: compared as text.
        Q(data__image=image.pk) | Q(data__introduction_html__icontains=url) | Q(data__body_html__icontains=url)
    )
    drafted = list(drafts.values_list("home_id", "news_id", "page_id"))
    news_ids = {news_id for _home, news_id, _page in drafted if news_id}
    page_ids = {page_id for _home, _news, page_id in drafted if page_id}
    news = NewsItem.objects.filter(Q(image=image) | in_text | Q(pk__in=news_ids), organisation=organisation)
    pages = Page.objects.filter(in_text | Q(pk__in=page_ids), organisation=organisation)
    words = []
    if home.exists() or any(home_id for home_id, _news, _page in drafted):
        words.append(_("la page d'accueil"))
    words += [_("l'actualité « %(title)s »") % {"title": title} for title in news.values_list("title", flat=True)]
    words += [_("la page « %(title)s »") % {"title": title} for title in pages.values_list("title", flat=True)]
    return words


def _current_drafts(organisation: Organisation) -> QuerySet[Revision]:
    """The site's drafts being prepared: for each home, page or news item, its
    newest version when it is not published. An older unpublished version,
    saved over since, is history and no longer in the way."""
    newer = Revision.objects.filter(
        Q(home_id=OuterRef("home_id")) | Q(page_id=OuterRef("page_id")) | Q(news_id=OuterRef("news_id"))
    ).filter(Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk")))
    return Revision.objects.filter(organisation=organisation, published_at__isnull=True).exclude(Exists(newer))
