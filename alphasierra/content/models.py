"""Each site's own content, written by its managers: the home page, pages and
news (« Actualités »), and the images they show.

What visitors read is the *live* row (``Home``, ``Page``, ``NewsItem``): its
fields hold the published version, its HTML rendered once when it was saved.
Every save of the editor is a ``Revision`` holding the whole form (a draft
until published); publishing copies a revision into the live row, and
restoring publishes an older revision again as a new one. The history is
append-only: nothing published is lost.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Where uploaded images are stored, under MEDIA_ROOT and served under MEDIA_URL.
IMAGES_FOLDER = "contenu"
# A home page highlights at most this many links (tiles).
TILES_MAX = 6


class Image(models.Model):
    """An image uploaded by a site's managers: checked by its content,
    re-encoded (no EXIF, no payload) and stored under a random name."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        WEBP = "webp", "WebP"

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    # A random name chosen by the portal (never the uploaded file's), under IMAGES_FOLDER.
    file = models.FileField(_("fichier"), max_length=120, unique=True)
    alt = models.CharField(_("texte alternatif"), max_length=250)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    width = models.PositiveIntegerField(_("largeur"))
    height = models.PositiveIntegerField(_("hauteur"))
    size = models.PositiveIntegerField(_("taille en octets"))
    uploaded_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("envoyée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt=""), name="content_image_alt_required"),
            models.CheckConstraint(condition=Q(width__gt=0, height__gt=0), name="content_image_has_a_size"),
        ]

    def __str__(self) -> str:
        return self.alt

    @property
    def content_type(self) -> str:
        return f"image/{self.format}"

    @property
    def url(self) -> str:
        return self.file.url


class Home(models.Model):
    """A site's home page as its managers wrote it. A site without one (or
    never published) shows the portal's default home."""

    organisation = models.OneToOneField(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    banner_title = models.CharField(_("titre du bandeau"), max_length=150, blank=True)
    banner_text = models.CharField(_("texte du bandeau"), max_length=300, blank=True)
    image = models.ForeignKey(
        Image, verbose_name=_("image"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    introduction = models.TextField(_("introduction"), max_length=10_000, blank=True)
    introduction_html = models.TextField(blank=True, editable=False)
    # Up to TILES_MAX highlighted links: [{"title", "url", "description"}], in order.
    tiles = models.JSONField(_("liens mis en avant"), default=list, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def __str__(self) -> str:
        return self.banner_title or str(self.organisation_id)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Publishable(models.Model):
    """What pages and news share: their state on the site."""

    class State(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publiée")
        WITHDRAWN = "withdrawn", _("retirée du site")

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("état"), max_length=16, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("texte"), max_length=50_000, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    class Meta:
        abstract = True


class Page(Publishable):
    """A page of a site (« Le CLAS », « Contact », « Nos permanences »), at
    ``/<site>/pages/<slug>/``, in the site's menu or not."""

    slug = models.SlugField(_("adresse"), max_length=80)
    in_menu = models.BooleanField(_("dans le menu du site"), default=False)
    menu_order = models.PositiveSmallIntegerField(_("ordre dans le menu"), default=0)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["menu_order", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="content_page_slug_unique_per_site"),
        ]
        indexes = [models.Index(fields=["organisation", "state", "in_menu", "menu_order"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_url(self.organisation, "content:page", slug=self.slug)


class NewsItem(Publishable):
    """A news item (« Actualité »): on the site's news page and its Atom feed
    from its publication date, the three latest on the home page."""

    summary = models.CharField(_("résumé"), max_length=300)
    image = models.ForeignKey(
        Image, verbose_name=_("image"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Chosen by the manager: shown from then on (a date in the future schedules it).
    publish_on = models.DateTimeField(_("date de publication"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-publish_on", "-id"]
        indexes = [models.Index(fields=["organisation", "state", "-publish_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_url(self.organisation, "content:news-detail", pk=self.pk)


class Revision(models.Model):
    """One save of the editor of a home, a page or a news item: the whole form
    (``data``, with the HTML rendered at save time). A draft until published."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    home = models.ForeignKey(Home, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions")
    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions")
    # The form as saved: the live row's editable fields, and their HTML.
    data = models.JSONField(_("contenu"))
    created_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("enregistrée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", verbose_name=_("publiée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A restored version is published again as a new revision, copied from this one.
    restored_from = models.ForeignKey(
        "self", verbose_name=_("restaurée depuis"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A revision is of exactly one home, page or news item.
            models.CheckConstraint(
                condition=(
                    Q(home__isnull=False, page__isnull=True, news__isnull=True)
                    | Q(home__isnull=True, page__isnull=False, news__isnull=True)
                    | Q(home__isnull=True, page__isnull=True, news__isnull=False)
                ),
                name="content_revision_of_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(published_at__gte=models.F("created_at")),
                name="content_revision_published_after_saved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


def page_url(organisation: models.Model, name: str, **kwargs: object) -> str:
    """A content URL on the organisation's site (the national site has no slug in its paths)."""
    if getattr(organisation, "is_national", False):
        return reverse(f"{name}-national", kwargs=kwargs)
    return reverse(name, kwargs={"site": organisation.slug, **kwargs})  # type: ignore[attr-defined]
