"""The form of an activity, for its managers: dates and times in the
organisation's zone, prices in its currency, who may register."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alphasierra.activities.models import Activity
from alphasierra.organisations.models import Organisation
from alphasierra.organisations.zones import PARIS, zone_name

MOMENT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Choices of a group of boxes, and the model's flag each one sets.
STATUSES = {"active": "for_active", "retired": "for_retired"}
EMPLOYERS = {"dgac": "for_dgac", "meteo_france": "for_meteo_france"}
ADMITTED = {"agent": "agent_admitted", "spouse": "spouse_admitted", "children": "children_admitted"}
GROUPS = {"statuses": STATUSES, "employers": EMPLOYERS, "admitted": ADMITTED}
MOMENTS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
PRICES = ("price_agent", "price_spouse", "price_child")
# The form's field where the model's own check of a flag reports.
# The fields given to the model as they are.
PLAIN = ("title", "description", "place", *MOMENTS, "capacity", *PRICES, "child_min_age", "child_max_age")
FIELD_OF_FLAG = {flag: group for group, flags in GROUPS.items() for flag in flags.values()}


def _boxes(label: Any, choices: list[tuple[str, Any]], required: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, error_messages={"required": required}
    )


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Mise en forme Markdown : **gras**, *italique*, listes (- ), liens [texte](https://…)."),
    )
    place = forms.CharField(label=_("Lieu"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Début"), widget=MOMENT_WIDGET)
    ends_at = forms.DateTimeField(label=_("Fin"), widget=MOMENT_WIDGET)
    registration_opens_at = forms.DateTimeField(label=_("Ouverture des inscriptions"), widget=MOMENT_WIDGET)
    registration_closes_at = forms.DateTimeField(label=_("Date limite d'inscription"), widget=MOMENT_WIDGET)
    capacity = forms.IntegerField(
        label=_("Nombre de places"), min_value=1, max_value=10_000, help_text=_("Une place par personne.")
    )
    price_agent = forms.DecimalField(label=_("Prix par agent"), min_value=0, max_digits=9, decimal_places=2)
    price_spouse = forms.DecimalField(label=_("Prix par conjoint"), min_value=0, max_digits=9, decimal_places=2)
    price_child = forms.DecimalField(label=_("Prix par enfant"), min_value=0, max_digits=9, decimal_places=2)
    statuses = _boxes(
        _("Situation des agents"),
        [("active", _("agents actifs")), ("retired", _("retraités"))],
        _("Cochez au moins une situation."),
    )
    employers = _boxes(
        _("Employeur"),
        [("dgac", _("DGAC")), ("meteo_france", _("Météo-France"))],
        _("Cochez au moins un employeur."),
    )
    admitted = _boxes(
        _("Qui peut participer"),
        [("agent", _("l'agent")), ("spouse", _("son conjoint")), ("children", _("ses enfants"))],
        _("Cochez au moins une personne de la famille."),
    )
    child_min_age = forms.IntegerField(
        label=_("Âge minimum des enfants"), required=False, min_value=0, max_value=30, help_text=_("Le jour du début.")
    )
    child_max_age = forms.IntegerField(
        label=_("Âge maximum des enfants"),
        required=False,
        min_value=0,
        max_value=30,
        help_text=_("Le jour du début, et encore le dernier jour pour un séjour."),
    )

    def __init__(self, *args: Any, organisation: Organisation, activity: Activity | None = None, **kwargs: Any):
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(activity)
        kwargs.setdefault("initial", {}).setdefault("statuses", list(STATUSES))
        kwargs["initial"].setdefault("employers", list(EMPLOYERS))
        kwargs["initial"].setdefault("admitted", list(ADMITTED))
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        zone = timezone.get_current_timezone_name()
        if zone != PARIS:
            # An agent of Nouméa enters Nouméa's time, and is told so.
            for name in MOMENTS:
                self.fields[name].help_text = zone_name(zone, timezone.now())
        whole = organisation.currency == Organisation.Currency.XPF
        symbol = "F CFP" if whole else "€"
        for name in PRICES:
            field = self.fields[name]
            field.label = f"{field.label} ({symbol})"
            field.widget.attrs.update({"step": "1" if whole else "0.01", "min": "0", "inputmode": "decimal"})
        for name in ("statuses", "employers", "admitted"):
            self.fields[name].widget.attrs.pop("required", None)

    @staticmethod
    def initial_of(activity: Activity) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(activity, name) for name in PLAIN}
        for group, flags in GROUPS.items():
            initial[group] = [choice for choice, flag in flags.items() if getattr(activity, flag)]
        if activity.organisation.currency == Organisation.Currency.XPF:
            initial.update({name: int(getattr(activity, name)) for name in PRICES})
        return initial

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        moments: dict[str, datetime | None] = {name: data.get(name) for name in MOMENTS}
        starts, ends = moments["starts_at"], moments["ends_at"]
        opens, closes = moments["registration_opens_at"], moments["registration_closes_at"]
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("La fin doit venir après le début."))
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("La date limite doit venir après l'ouverture des inscriptions."))
        if ends and closes and closes > ends:
            self.add_error("registration_closes_at", _("La date limite doit venir avant la fin de l'activité."))
        low, high = data.get("child_min_age"), data.get("child_max_age")
        if low is not None and high is not None and high < low:
            self.add_error("child_max_age", _("L'âge maximum ne peut pas être inférieur à l'âge minimum."))
        if self.organisation.currency == Organisation.Currency.XPF:
            for name in PRICES:
                if isinstance(data.get(name), Decimal) and data[name] % 1:
                    self.add_error(name, _("Le franc Pacifique n'a pas de centimes : indiquez un nombre entier."))
        return data

    def values(self) -> dict[str, Any]:
        """What the publishing services take (``EDITABLE_FIELDS``)."""
        data = self.cleaned_data
        values = {name: data[name] for name in PLAIN}
        for group, flags in GROUPS.items():
            values.update({flag: choice in data[group] for choice, flag in flags.items()})
        return values

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """The services' refusals, next to the field they are about."""
        for name, messages in errors.items():
            field = FIELD_OF_FLAG.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Envoyé par e-mail à chaque famille inscrite ou en attente."),
        error_messages={"required": _("Indiquez le motif de l'annulation : il est envoyé aux inscrits.")},
    )
