"""Activities of a CLAS or an association, and the households' requests for them.

A place is a person. A household asks for its places in one request
(``Registration``), listing who takes part (``Participant``); each participant
holds a place (confirmed, or offered and not yet accepted), waits for one, or
has left. Places are counted over participants, never over requests.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Activity(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publiée")
        CLOSED = "closed", _("inscriptions closes")
        CANCELLED = "cancelled", _("annulée")
        PAST = "past", _("passée")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
        limit_choices_to={"kind__in": ["clas", "association"]},
    )
    state = models.CharField(_("état"), max_length=16, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("titre"), max_length=150)
    # Markdown, shown as HTML cleaned by nh3 (``alphasierra.markdown``).
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    place = models.CharField(_("lieu"), max_length=200)
    # Stored in UTC; entered and shown in the organisation's time zone.
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    registration_opens_at = models.DateTimeField(_("ouverture des inscriptions"))
    registration_closes_at = models.DateTimeField(_("date limite d'inscription"))
    capacity = models.PositiveIntegerField(_("nombre de places"))
    # In the organisation's currency; whole numbers for the franc Pacifique.
    price_agent = models.DecimalField(_("prix par agent"), max_digits=9, decimal_places=2, default=0)
    price_spouse = models.DecimalField(_("prix par conjoint"), max_digits=9, decimal_places=2, default=0)
    price_child = models.DecimalField(_("prix par enfant"), max_digits=9, decimal_places=2, default=0)

    # Who may register.
    for_active = models.BooleanField(_("agents actifs"), default=True)
    for_retired = models.BooleanField(_("retraités"), default=True)
    for_dgac = models.BooleanField(_("DGAC"), default=True)
    for_meteo_france = models.BooleanField(_("Météo-France"), default=True)
    agent_admitted = models.BooleanField(_("l'agent peut participer"), default=True)
    spouse_admitted = models.BooleanField(_("le conjoint peut participer"), default=True)
    children_admitted = models.BooleanField(_("les enfants peuvent participer"), default=True)
    # Ages in whole years on the start date (and, for a stay over several days,
    # still within them on the end date); empty: no bound.
    child_min_age = models.PositiveSmallIntegerField(_("âge minimum des enfants"), null=True, blank=True)
    child_max_age = models.PositiveSmallIntegerField(_("âge maximum des enfants"), null=True, blank=True)

    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("créée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancellation_reason = models.TextField(_("motif de l'annulation"), max_length=2000, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["starts_at", "pk"]
        indexes = [
            # Each site's list: its activities in one state, soonest first.
            models.Index(fields=["organisation", "state", "starts_at"], name="activity_site_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["draft", "published", "closed", "cancelled", "past"]),
                name="activity_state_valid",
            ),
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after"),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="activity_registration_window",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__lte=models.F("ends_at")),
                name="activity_deadline_before_end",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="activity_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(price_agent__gte=0, price_spouse__gte=0, price_child__gte=0),
                name="activity_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(for_active=True) | models.Q(for_retired=True), name="activity_some_status"
            ),
            models.CheckConstraint(
                condition=models.Q(for_dgac=True) | models.Q(for_meteo_france=True), name="activity_some_employer"
            ),
            models.CheckConstraint(
                condition=models.Q(agent_admitted=True)
                | models.Q(spouse_admitted=True)
                | models.Q(children_admitted=True),
                name="activity_someone_admitted",
            ),
            models.CheckConstraint(
                condition=models.Q(child_min_age__isnull=True)
                | models.Q(child_max_age__isnull=True)
                | models.Q(child_min_age__lte=models.F("child_max_age")),
                name="activity_child_ages_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="cancelled") | ~models.Q(cancellation_reason=""),
                name="activity_cancellation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """One household's request for places: the agent and the members of their
    family who take part, in arrival order on the waiting list as one request.

    Its state sums up its participants' (``registration_refresh_state``): a
    request waits while any of its participants waits, so that nobody is told
    « inscrit » while part of the household is still on the list."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmée")
        WAITING = "waiting", _("en attente")
        OFFERED = "offered", _("place proposée")
        CANCELLED = "cancelled", _("annulée")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.CASCADE, related_name="registrations"
    )
    agent = models.ForeignKey(
        "agents.Agent", verbose_name=_("agent"), on_delete=models.CASCADE, related_name="activity_registrations"
    )
    state = models.CharField(_("état"), max_length=16, choices=State.choices)
    # False: « toute la famille ou personne ».
    accept_partial = models.BooleanField(_("accepte une place partielle"), default=False)
    # Arrival order on the waiting list: (created_at, pk).
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("demandée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    offer_expires_at = models.DateTimeField(_("offre valable jusqu'au"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande d'inscription")
        verbose_name_plural = _("demandes d'inscription")
        ordering = ["created_at", "pk"]
        indexes = [
            # The waiting list of an activity, in arrival order.
            models.Index(fields=["activity", "state", "created_at", "id"], name="registration_queue_idx"),
            # Offers to expire, across activities.
            models.Index(fields=["state", "offer_expires_at"], name="registration_offer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["confirmed", "waiting", "offered", "cancelled"]),
                name="registration_state_valid",
            ),
            # One live request per household and activity: a second click makes none.
            models.UniqueConstraint(
                fields=["activity", "agent"],
                condition=models.Q(state__in=["confirmed", "waiting", "offered"]),
                name="registration_one_live_per_household",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="offered") | models.Q(offer_expires_at__isnull=False),
                name="registration_offer_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.agent} ({self.get_state_display()})"


class Participant(models.Model):
    """One person of a request, and their place. Names and birth date are
    copied from the family when the request is made: the lists and the sign-in
    sheet show who was registered, whatever the family record becomes."""

    class Kind(models.TextChoices):
        AGENT = "agent", _("agent")
        SPOUSE = "spouse", _("conjoint")
        CHILD = "child", _("enfant")

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("place confirmée")
        WAITING = "waiting", _("en attente")
        OFFERED = "offered", _("place proposée")
        CANCELLED = "cancelled", _("annulé")

    class Ending(models.TextChoices):
        BY_AGENT = "by_agent", _("annulé par l'agent")
        RELEASED = "released", _("offre déclinée")
        EXPIRED = "expired", _("offre expirée")
        REMOVED = "removed", _("retiré par le responsable")
        ACTIVITY_CANCELLED = "activity_cancelled", _("activité annulée")

    registration = models.ForeignKey(
        Registration, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="participants"
    )
    # Empty for the agent; for a relative taken off the family later, the copy stays.
    relative = models.ForeignKey(
        "agents.Relative", verbose_name=_("membre de la famille"), on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(_("lien"), max_length=8, choices=Kind.choices)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    price = models.DecimalField(_("prix"), max_digits=9, decimal_places=2)
    state = models.CharField(_("état"), max_length=16, choices=State.choices)
    ending = models.CharField(_("motif de fin"), max_length=24, choices=Ending.choices, blank=True)
    ending_reason = models.TextField(_("motif"), max_length=2000, blank=True)
    ended_at = models.DateTimeField(_("fin le"), null=True, blank=True)
    ended_by = models.ForeignKey(
        "accounts.User", verbose_name=_("par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The person's order within the request (agent, spouse, children from the eldest):
    # a partial place goes to the first ones.
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["registration_id", "position", "pk"]
        indexes = [
            # Places taken: participants of an activity's requests holding one.
            models.Index(fields=["registration", "state"], name="participant_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["confirmed", "waiting", "offered", "cancelled"]),
                name="participant_state_valid",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=["agent", "spouse", "child"]), name="participant_kind"),
            models.CheckConstraint(
                condition=models.Q(state="cancelled", ending__gt="")
                | (~models.Q(state="cancelled") & models.Q(ending="")),
                name="participant_ending_when_cancelled",
            ),
            # A person takes one place in a request.
            models.UniqueConstraint(
                fields=["registration"], condition=models.Q(kind="agent"), name="participant_agent_once"
            ),
            models.UniqueConstraint(
                fields=["registration", "relative"],
                condition=models.Q(relative__isnull=False),
                name="participant_relative_once",
            ),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="participant_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CalendarFeed(models.Model):
    """The secret address of a person's calendar of confirmed activities: a
    calendar application cannot log in, so the address is the key. Making a
    new one ends the old one.

    The address carries the user's id and a keyed hash of ``nonce`` (with the
    SECRET_KEY): a copy of the database alone does not give the addresses."""

    user = models.OneToOneField(
        "accounts.User", verbose_name=_("compte"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("calendrier personnel")
        verbose_name_plural = _("calendriers personnels")

    def __str__(self) -> str:
        return str(self.user)
