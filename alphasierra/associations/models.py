from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AssociationLink(models.Model):
    """An association « knows » an agent: made by the agent's first visit of
    the association's site while logged in. From then on its managers see the
    agent's personal data, until the agent withdraws."""

    class State(models.TextChoices):
        ACTIVE = "active", _("connu de l'association")
        WITHDRAWN = "withdrawn", _("retiré par l'agent")

    agent = models.ForeignKey(
        "agents.Agent", verbose_name=_("agent"), on_delete=models.CASCADE, related_name="association_links"
    )
    association = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="agent_links",
        limit_choices_to={"kind": "association"},
    )
    state = models.CharField(_("état"), max_length=16, choices=State.choices, default=State.ACTIVE)
    first_visit_at = models.DateTimeField(_("première visite"), default=timezone.now)
    since = models.DateTimeField(_("connu depuis"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien avec une association")
        verbose_name_plural = _("liens avec les associations")
        constraints = [
            # Two first visits at the same moment make one link.
            models.UniqueConstraint(fields=["agent", "association"], name="association_link_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=["active", "withdrawn"]), name="association_link_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["association", "state"], name="association_members_idx")]

    def __str__(self) -> str:
        return f"{self.agent} — {self.association} ({self.get_state_display()})"
