"""The managers' forms about households: find one, register it by hand,
remove some of its people; and the filter of the list of activities."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alphasierra.activities.eligibility import Candidate
from alphasierra.activities.models import Activity, Participant
from alphasierra.activities.services.registration import SELF
from alphasierra.activities.templatetags.money import money
from alphasierra.organisations.models import Organisation


class ActivityFilterForm(forms.Form):
    etat = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous les états")), *Activity.State.choices]
    )


class AgentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher l'agent"),
        max_length=200,
        help_text=_("Nom, prénom ou adresse e-mail."),
        error_messages={"required": _("Indiquez le nom, le prénom ou l'e-mail de l'agent.")},
    )


def candidate_label(candidate: Candidate, organisation: Organisation) -> str:
    """« Hugo Martin (enfant) — 5,00 € », or who may not take part and why."""
    name = f"{candidate.first_name} {candidate.last_name} ({candidate.kind.label})"
    return f"{name} — {money(candidate.price, organisation)}" if candidate.eligible else f"{name} — {candidate.reason}"


class HouseholdForm(forms.Form):
    """Who of the household takes part, as the agent would choose on the phone."""

    people = forms.MultipleChoiceField(
        label=_("Participants"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une personne de la famille.")},
    )
    accept_partial = forms.BooleanField(
        label=_("La famille accepte une place partielle"),
        required=False,
        help_text=_("Sinon, toute la famille ou personne : la demande attend que toutes les places soient libres."),
    )

    def __init__(self, *args: Any, candidates: list[Candidate], organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.organisation = organisation
        field = self.fields["people"]
        field.choices = [(str(c.key), candidate_label(c, organisation)) for c in candidates]  # type: ignore[attr-defined]
        # Who may not take part is shown with the reason, and cannot be ticked.
        self.disabled_choices = {str(c.key) for c in candidates if not c.eligible}
        field.widget.attrs.pop("required", None)

    def clean_people(self) -> list[str]:
        people: list[str] = self.cleaned_data["people"]
        if refused := [key for key in people if key in self.disabled_choices]:
            names = [candidate_label(c, self.organisation) for c in self.candidates if str(c.key) in refused]
            raise forms.ValidationError(_("Ne peut pas participer : %(names)s.") % {"names": " ; ".join(names)})
        return people

    def people_keys(self) -> list[str | int]:
        return [key if key == SELF else int(key) for key in self.cleaned_data["people"]]


class RemoveForm(forms.Form):
    participants = forms.MultipleChoiceField(
        label=_("Personnes à retirer"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une personne à retirer.")},
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Envoyé par e-mail à la famille."),
        error_messages={"required": _("Indiquez le motif du retrait : il est envoyé à la famille.")},
    )

    def __init__(self, *args: Any, people: list[Participant], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"participants": [str(p.pk) for p in people]})
        super().__init__(*args, **kwargs)
        self.people = people
        field = self.fields["participants"]
        field.choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.first_name} {p.last_name} ({p.get_kind_display()}, {p.get_state_display()})")
            for p in people
        ]
        field.widget.attrs.pop("required", None)

    def participant_ids(self) -> list[int] | None:
        """The people chosen; ``None`` when it is the whole request."""
        chosen = [int(pk) for pk in self.cleaned_data["participants"]]
        return None if len(chosen) == len(self.people) else chosen
