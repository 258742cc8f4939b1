from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did or saw what, when, in which organisation. Append-only: rows are
    written by ``audit_record`` and never updated."""

    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    # The person whose data the event is about (for "who saw my data").
    subject = models.ForeignKey(
        "accounts.User",
        verbose_name=_("personne concernée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events_about",
    )
    data = models.JSONField(_("détails"), default=dict, blank=True)
    # The people an event about many is about (an export): one indexed row
    # each, so that « who saw my data » finds them without reading every export.
    included = models.ManyToManyField(
        "accounts.User",
        verbose_name=_("personnes incluses"),
        blank=True,
        related_name="audit_events_including",
    )

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("événements d'audit")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
