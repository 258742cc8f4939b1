from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# First path segments that belong to the portal itself. An organisation can never
# take one of them as its slug, or its site would shadow (or be shadowed by) them.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "static",
        "media",
        "comptes",
        "inscription",
        "gestion",
        "annuaire",
        "pages",
        "actualites",
        "contact",
        "i18n",
        "_dev",
        "api",
        # The load balancer's probes and Prometheus' scrape (alphasierra.operations).
        "health",
        "metrics",
        "favicon.ico",
        "robots.txt",
    }
)


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


class Role(models.Model):
    """A person's responsibility in one organisation (several people may share one)."""

    class Kind(models.TextChoices):
        SITE_MANAGER = "site_manager", _("responsable du site")
        SOCIAL_CORRESPONDENT = "social_correspondent", _("correspondant social régional (CSR)")
        ASSOCIATION_MANAGER = "association_manager", _("responsable de l'association")
        NATIONAL_ADMIN = "national_admin", _("administrateur national")

    user = models.ForeignKey("accounts.User", verbose_name=_("compte"), on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("rôle"), max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(_("attribué le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "kind"], name="role_unique_per_organisation"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["site_manager", "social_correspondent", "association_manager", "national_admin"]
                ),
                name="role_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} — {self.organisation}"

    def clean(self) -> None:
        expected = ROLE_ORGANISATION_KIND[Role.Kind(self.kind)]
        if self.organisation_id and self.organisation.kind != expected:
            raise ValidationError(
                {"organisation": _("Ce rôle ne s'exerce que dans une organisation de type « %(kind)s ».")},
                params={"kind": Organisation.Kind(expected).label},
            )


# Which kind of organisation each role belongs to.
ROLE_ORGANISATION_KIND = {
    Role.Kind.SITE_MANAGER: Organisation.Kind.CLAS,
    Role.Kind.SOCIAL_CORRESPONDENT: Organisation.Kind.CLAS,
    Role.Kind.ASSOCIATION_MANAGER: Organisation.Kind.ASSOCIATION,
    Role.Kind.NATIONAL_ADMIN: Organisation.Kind.NATIONAL,
}
