from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Agent(models.Model):
    """An agent or retiree of DGAC or Météo-France, with their family: the
    register entry their CLAS owns. One per account."""

    class State(models.TextChoices):
        EMAIL_PENDING = "email_pending", _("e-mail à confirmer")
        AWAITING_APPROVAL = "awaiting_approval", _("en attente de validation par le CLAS")
        APPROVED = "approved", _("validé")
        REJECTED = "rejected", _("refusé")

    class Civility(models.TextChoices):
        MADAME = "mme", _("Madame")
        MONSIEUR = "m", _("Monsieur")

    class Employer(models.TextChoices):
        DGAC = "dgac", _("DGAC")
        METEO_FRANCE = "meteo_france", _("Météo-France")

    class Status(models.TextChoices):
        ACTIVE = "active", _("actif")
        RETIRED = "retired", _("retraité")

    class FamilySituation(models.TextChoices):
        SINGLE = "single", _("célibataire")
        MARRIED = "married", _("marié(e)")
        CIVIL_PARTNERSHIP = "pacs", _("pacsé(e)")
        COHABITING = "cohabiting", _("en union libre")
        DIVORCED = "divorced", _("divorcé(e)")
        SEPARATED = "separated", _("séparé(e)")
        WIDOWED = "widowed", _("veuf ou veuve")

    user = models.OneToOneField(
        "accounts.User", verbose_name=_("compte"), on_delete=models.CASCADE, related_name="agent"
    )
    clas = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("CLAS"),
        on_delete=models.PROTECT,
        related_name="agents",
        limit_choices_to={"kind": "clas"},
    )
    state = models.CharField(_("état"), max_length=24, choices=State.choices, default=State.EMAIL_PENDING)

    civility = models.CharField(_("civilité"), max_length=8, choices=Civility.choices)
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    employer = models.CharField(_("employeur"), max_length=16, choices=Employer.choices)
    status = models.CharField(_("situation"), max_length=16, choices=Status.choices)
    service = models.CharField(_("service"), max_length=200)
    service_address = models.TextField(_("adresse du service"), max_length=500)
    work_phone = models.CharField(_("téléphone professionnel"), max_length=20)
    personal_phone = models.CharField(_("téléphone personnel"), max_length=20, db_index=True)
    address = models.TextField(_("adresse postale"), max_length=300)
    postal_code = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=100)

    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    family_situation = models.CharField(
        _("situation familiale"), max_length=16, choices=FamilySituation.choices, blank=True
    )
    children_count = models.PositiveSmallIntegerField(_("nombre d'enfants"), null=True, blank=True)

    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmé le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("décision par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    # The short code sent with the confirmation link, for a person who reads the
    # e-mail on another device: only its keyed hash is kept.
    confirmation_code_hash = models.CharField(_("code de confirmation (empreinte)"), max_length=64, blank=True)
    confirmation_code_sent_at = models.DateTimeField(_("code de confirmation envoyé le"), null=True, blank=True)
    deletion_requested_at = models.DateTimeField(_("suppression demandée le"), null=True, blank=True)
    # Normalised nom, prénom, e-mail and service, for the register's search
    # (see agents.search); written by the services, never typed.
    search_text = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            # The managers' queue: requests of one CLAS in one state, oldest first.
            models.Index(fields=["clas", "state", "created_at"], name="agent_queue_idx"),
            # The register's default and date orders, within one CLAS.
            models.Index(fields=["clas", "last_name", "first_name", "id"], name="agent_register_name_idx"),
            models.Index(fields=["clas", "created_at", "id"], name="agent_register_date_idx"),
            # Duplicate detection: same person, whatever the CLAS.
            models.Index(fields=["last_name", "first_name", "birth_date"], name="agent_identity_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["email_pending", "awaiting_approval", "approved", "rejected"]),
                name="agent_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(rejection_reason=""),
                name="agent_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.get_civility_display()} {self.first_name} {self.last_name}"


class Relative(models.Model):
    """A member of the agent's family: spouse or child (« ayant droit »)."""

    class Kind(models.TextChoices):
        SPOUSE = "spouse", _("conjoint")
        CHILD = "child", _("enfant")

    agent = models.ForeignKey(Agent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="relatives")
    kind = models.CharField(_("lien"), max_length=8, choices=Kind.choices)
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre de la famille")
        verbose_name_plural = _("membres de la famille")
        # The family reads spouse first, then the children from the eldest: the one
        # order of every list (Mon compte, the register, the family editor, the
        # associations, the data download); "child" sorts before "spouse" by name.
        ordering = [
            models.Case(models.When(kind="spouse", then=models.Value(0)), default=models.Value(1)),
            models.F("birth_date").asc(nulls_last=True),
            "pk",
        ]
        constraints = [
            models.UniqueConstraint(fields=["agent"], condition=models.Q(kind="spouse"), name="relative_one_spouse"),
            models.CheckConstraint(condition=models.Q(kind__in=["spouse", "child"]), name="relative_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.get_kind_display()})"
