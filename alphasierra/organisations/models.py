from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# First path segments that belong to the portal itself. An organisation can never
# take one of them as its slug, or its site would shadow (or be shadowed by) them.
RESERVED_SLUGS = frozenset({"admin", "static", "media", "comptes", "i18n", "_dev", "api", "favicon.ico", "robots.txt"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("« %(slug)s » est réservé par le portail."), params={"slug": value})


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Fuseau horaire inconnu : %(tz)s."), params={"tz": value})


class Organisation(models.Model):
    """One of the 17 sites: the national site, a CLAS or a national association."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("site national")
        CLAS = "clas", _("CLAS")
        ASSOCIATION = "association", _("association nationale")

    class Currency(models.TextChoices):
        EUR = "EUR", _("euro")
        XPF = "XPF", _("franc Pacifique")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    slug = models.SlugField(_("adresse"), max_length=40, unique=True, validators=[validate_slug_not_reserved])
    name = models.CharField(_("nom"), max_length=120)
    short_name = models.CharField(_("nom court"), max_length=60)
    time_zone = models.CharField(
        _("fuseau horaire"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    currency = models.CharField(_("monnaie"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["national", "clas", "association"]),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(currency__in=["EUR", "XPF"]),
                name="organisation_currency_valid",
            ),
            # The national site is served at "/": there is exactly one.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="national"),
                name="organisation_single_national",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.is_national:
            return reverse("pages:national-home")
        return reverse("pages:home", kwargs={"site": self.slug})

    @property
    def is_national(self) -> bool:
        return self.kind == self.Kind.NATIONAL

    @property
    def is_clas(self) -> bool:
        return self.kind == self.Kind.CLAS

    @property
    def is_association(self) -> bool:
        return self.kind == self.Kind.ASSOCIATION
