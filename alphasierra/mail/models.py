from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An e-mail the portal owes someone.

    The row is written in the same transaction as the change that caused it, so
    a message exists exactly when its cause was committed; the worker then
    delivers it, and retries until it succeeds or gives up. Delivery is at least
    once (see ``message_deliver``): the Message-ID stays the same across attempts.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("abandonné")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    to_email = models.EmailField(_("destinataire"), max_length=254)
    # The accounts the message is addressed to or names (a request to review, a
    # reminder listing several agents): erasing a person finds them here, and
    # not by searching the text, which misses an old address or another spelling.
    about = models.ManyToManyField(
        "accounts.User", verbose_name=_("personnes concernées"), related_name="+", blank=True
    )
    from_email = models.CharField(_("expéditeur"), max_length=254)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    # Stable across retries: a receiver can recognise a duplicate delivery.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(_("état"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    # Set while a worker is sending it, outside any transaction (see message_deliver).
    claimed_at = models.DateTimeField(_("en cours d'envoi depuis"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message sortant")
        verbose_name_plural = _("messages sortants")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The periodic sweep looks for pending messages that are due.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed"]),
                name="outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(claimed_at__isnull=True) | models.Q(status="pending"),
                name="outbox_claim_only_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_email} — {self.subject}"
