from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class Transfer(models.Model):
    """An agent's request to move their account and family to another CLAS."""

    class State(models.TextChoices):
        PENDING = "pending", _("en attente de validation")
        # Accepted before the date the agent asked for: the account moves on
        # that date (``transfers_apply_due``), and until then the agent may
        # still cancel, as plans change before a move.
        SCHEDULED = "scheduled", _("accepté, pas encore effectif")
        ACCEPTED = "accepted", _("accepté")
        REFUSED = "refused", _("refusé")
        CANCELLED = "cancelled", _("annulé")

    class Reason(models.TextChoices):
        MOVE = "move", _("déménagement")
        RETIREMENT = "retirement", _("départ à la retraite")
        OTHER = "other", _("autre")

    agent = models.ForeignKey(
        "agents.Agent", verbose_name=_("agent"), on_delete=models.CASCADE, related_name="transfers"
    )
    origin = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("CLAS d'origine"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("CLAS de destination"), on_delete=models.PROTECT, related_name="+"
    )
    # The name as the destination received it with the request: once the
    # transfer is refused or cancelled, its history shows this, never the
    # agent's current record, which is no longer the destination's business.
    agent_name = models.CharField(_("nom de l'agent à la demande"), max_length=300, blank=True)
    reason = models.CharField(_("motif"), max_length=16, choices=Reason.choices)
    effective_date = models.DateField(_("date du changement"))
    message = models.TextField(_("message"), max_length=1000, blank=True)
    state = models.CharField(_("état"), max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("décidé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)

    class Meta:
        verbose_name = _("transfert")
        verbose_name_plural = _("transferts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open request at a time per agent: pending, or accepted and
            # waiting for its date.
            models.UniqueConstraint(
                fields=["agent"], condition=models.Q(state__in=["pending", "scheduled"]), name="transfer_one_open"
            ),
            models.CheckConstraint(condition=~models.Q(origin=models.F("destination")), name="transfer_changes_clas"),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "scheduled", "accepted", "refused", "cancelled"]),
                name="transfer_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="scheduled") | models.Q(decided_at__isnull=False),
                name="transfer_scheduled_was_decided",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="refused") | ~models.Q(refusal_reason=""), name="transfer_refusal_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["destination", "state", "created_at"], name="transfer_queue_idx")]

    def __str__(self) -> str:
        return f"{self.agent} : {self.origin} → {self.destination} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        """Still the agent's to cancel: pending, or accepted and not yet effective."""
        return self.state in (self.State.PENDING, self.State.SCHEDULED)

    def state_label(self) -> str:
        """The state as people read it, with the date an accepted transfer takes effect."""
        if self.state == self.State.SCHEDULED:
            return _("accepté, effectif le %(date)s") % {"date": date_format(self.effective_date, "j F Y")}
        return str(self.get_state_display())
