"""The managers' forms of a site's content: its home page, a page, a news
item. Each gives the editing services their ``values`` (``HOME_FIELDS``,
``PAGE_FIELDS``, ``NEWS_FIELDS``) and takes back the services' refusals
next to the field they are about."""

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from alphasierra.content.models import TILES_MAX, Image
from alphasierra.organisations.models import Organisation
from alphasierra.organisations.zones import PARIS, zone_name

MARKDOWN_HELP = _(
    "Mise en forme Markdown : ## Intertitre, **gras**, *italique*, listes (- ), liens [texte](https://…). "
    "Pour une image, envoyez-la d'abord dans « Images », puis reprenez son code : ![description](adresse)."
)
MOMENT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SLUG_MAX = 80
# A page's address: lower-case words without accents, joined by hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A highlighted link leads to a page of the portal or to a secure site.
HTTPS = URLValidator(schemes=["https"])
TILE_PARTS = ("title", "url", "description")


def tile_field(number: int, part: str) -> str:
    return f"tile_{number}_{part}"


class ImageChoiceField(forms.ModelChoiceField[Image]):
    """One of the site's uploaded images, named by its alternative text."""

    def label_from_instance(self, obj: Image) -> str:
        return _t("%(alt)s (%(width)s × %(height)s px)") % {"alt": obj.alt, "width": obj.width, "height": obj.height}


class SiteMomentField(forms.DateTimeField):
    """A date and time entered and shown in the site's time zone (the
    national back-office otherwise follows the person's own CLAS)."""

    def __init__(self, *args: Any, zone: str = PARIS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def to_python(self, value: Any) -> datetime | None:
        with timezone.override(ZoneInfo(self.zone)):
            return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        with timezone.override(ZoneInfo(self.zone)):
            return super().prepare_value(value)


def _image_field() -> ImageChoiceField:
    return ImageChoiceField(
        label=_("Image"),
        queryset=Image.objects.none(),
        required=False,
        empty_label=_("Aucune image"),
        help_text=_("Une des images envoyées dans « Images », nommée par son texte alternatif."),
        error_messages={"invalid_choice": _("Choisissez une des images du site.")},
    )


def _markdown_field(label: Any, max_length: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=MARKDOWN_HELP,
    )


class ContentForm(forms.Form):
    def add_service_errors(self, errors: Mapping[str, list[str]]) -> None:
        """The services' refusals, next to the field they are about."""
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class HomeForm(ContentForm):
    banner_title = forms.CharField(
        label=_("Titre du bandeau"),
        required=False,
        max_length=150,
        help_text=_("Laissé vide, le bandeau porte le nom du site."),
    )
    banner_text = forms.CharField(
        label=_("Texte du bandeau"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    image = _image_field()
    introduction = _markdown_field(_("Texte d'introduction"), 10_000)

    def __init__(self, *args: Any, images: QuerySet[Image], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].queryset = images  # type: ignore[attr-defined]
        for number in range(1, TILES_MAX + 1):
            self.fields[tile_field(number, "title")] = forms.CharField(
                label=_t("Titre du lien %(number)s") % {"number": number}, required=False, max_length=80
            )
            self.fields[tile_field(number, "url")] = forms.CharField(
                label=_t("Adresse du lien %(number)s") % {"number": number}, required=False, max_length=500
            )
            self.fields[tile_field(number, "description")] = forms.CharField(
                label=_t("Description du lien %(number)s") % {"number": number}, required=False, max_length=200
            )

    @staticmethod
    def initial_of(values: Mapping[str, Any]) -> dict[str, Any]:
        initial = {name: values.get(name) for name in ("banner_title", "banner_text", "image", "introduction")}
        for number, tile in enumerate(values.get("tiles") or [], start=1):
            for part in TILE_PARTS:
                initial[tile_field(number, part)] = tile.get(part, "")
        return initial

    def tile_rows(self) -> list[list[forms.BoundField]]:
        """The fields of each link, for the template: one row per link."""
        return [[self[tile_field(n, part)] for part in TILE_PARTS] for n in range(1, TILES_MAX + 1)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        tiles = []
        for number in range(1, TILES_MAX + 1):
            title, url, description = (data.get(tile_field(number, part), "") for part in TILE_PARTS)
            if not (title or url or description):
                continue  # a blank row is ignored
            if not title:
                self.add_error(tile_field(number, "title"), _("Indiquez le titre de ce lien."))
            if not url:
                self.add_error(tile_field(number, "url"), _("Indiquez l'adresse de ce lien."))
            elif problem := link_problem(url):
                self.add_error(tile_field(number, "url"), problem)
            tiles.append({"title": title, "url": url, "description": description})
        data["tiles"] = tiles
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("banner_title", "banner_text", "image", "introduction", "tiles")
        return {name: data[name] for name in names}


def link_problem(url: str) -> str | None:
    """Why a highlighted link's address is refused, or None."""
    if url.startswith("/") and not url.startswith("//"):
        if re.search(r"\s", url):
            return _t("Une adresse ne contient pas d'espace.")
        return None
    try:
        HTTPS(url)
    except ValidationError:
        return _t(
            "Indiquez une page du portail, commençant par « / » (par exemple /actualites/), "
            "ou une adresse commençant par https://."
        )
    return None


class PageForm(ContentForm):
    title = forms.CharField(
        label=_("Titre"), max_length=150, error_messages={"required": _("Indiquez le titre de la page.")}
    )
    slug = forms.CharField(label=_("Adresse"), required=False, max_length=SLUG_MAX)
    body = _markdown_field(_("Texte"), 50_000)
    in_menu = forms.BooleanField(label=_("Dans le menu du site"), required=False)
    menu_order = forms.IntegerField(
        label=_("Ordre dans le menu"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("Les pages du menu se suivent de la plus petite valeur à la plus grande."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix = "/pages/" if organisation.is_national else f"/{organisation.slug}/pages/"
        self.fields["slug"].help_text = _t(
            "La page est à l'adresse %(prefix)s<adresse>/ : des lettres sans accent, des chiffres et des tirets. "
            "Laissée vide, elle est tirée du titre."
        ) % {"prefix": prefix}
        self.fields["menu_order"].widget.attrs.update({"min": "0", "inputmode": "numeric"})
        self.fields["menu_order"].initial = 0

    @staticmethod
    def initial_of(values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: values.get(name) for name in ("title", "slug", "body", "in_menu", "menu_order")}

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].strip()
        if slug and not SLUG.match(slug):
            raise ValidationError(
                _(
                    "L'adresse ne peut contenir que des lettres minuscules sans accent, des chiffres "
                    "et des tirets entre les mots (par exemple : nos-permanences)."
                )
            )
        return slug

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("slug") and data.get("title") and "slug" not in self.errors:
            suggested = slugify(data["title"])[:SLUG_MAX].strip("-")
            if suggested:
                data["slug"] = suggested
                if isinstance(self.data, QueryDict):
                    # Shown in the field if the form comes back: the manager sees the address chosen.
                    sent = self.data.copy()
                    sent[self.add_prefix("slug")] = suggested
                    self.data = sent
            else:
                self.add_error("slug", _("Indiquez l'adresse de la page : des lettres sans accent et des chiffres."))
        data["menu_order"] = data.get("menu_order") or 0
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "slug", "body", "in_menu", "menu_order")}


class NewsForm(ContentForm):
    title = forms.CharField(
        label=_("Titre"), max_length=150, error_messages={"required": _("Indiquez le titre de l'actualité.")}
    )
    summary = forms.CharField(
        label=_("Résumé"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Quelques mots, montrés dans la liste des actualités et sur la page d'accueil."),
        error_messages={"required": _("Indiquez le résumé de l'actualité.")},
    )
    body = _markdown_field(_("Texte"), 50_000)
    image = _image_field()
    publish_on = SiteMomentField(
        label=_("Date de publication"),
        widget=MOMENT_WIDGET,
        error_messages={
            "required": _("Indiquez la date de publication."),
            "invalid": _("Indiquez une date et une heure valides."),
        },
    )

    def __init__(self, *args: Any, organisation: Organisation, images: QuerySet[Image], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].queryset = images  # type: ignore[attr-defined]
        moment = self.fields["publish_on"]
        assert isinstance(moment, SiteMomentField)  # noqa: S101 -- declared above
        moment.zone = organisation.time_zone
        help_text = _t("Une fois publiée, l'actualité paraît sur le site à partir de cette date.")
        if organisation.time_zone != PARIS:
            # A manager of Nouméa enters Nouméa's time, and is told so.
            help_text = f"{help_text} ({zone_name(organisation.time_zone, timezone.now())})"
        moment.help_text = help_text
        if not self.is_bound and not self.initial.get("publish_on"):
            self.initial["publish_on"] = timezone.now().replace(second=0, microsecond=0)

    @staticmethod
    def initial_of(values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: values.get(name) for name in ("title", "summary", "body", "image", "publish_on")}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "summary", "body", "image", "publish_on")}
