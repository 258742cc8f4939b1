"""The household's request form: who takes part, and whether a partial place will do.

Sent twice without JavaScript: first to see the total (``REVIEW``), then to
confirm it (``CONFIRM``); nothing is asked of the services before the second."""

from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from alphasierra.activities.eligibility import Candidate
from alphasierra.activities.services.registration import SELF

REVIEW = "revoir"
CONFIRM = "confirmer"
ALL_OR_NOTHING = "famille"
PARTIAL = "partielle"


class HouseholdForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=_("Qui participe ?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une personne qui participe.")},
    )
    places = forms.ChoiceField(
        label=_("Si toutes les places demandées ne sont pas libres"),
        choices=[
            (ALL_OR_NOTHING, _("Toute la famille ou personne : la demande attend qu'il y ait assez de places")),
            (PARTIAL, _("J'accepte une place partielle : les premières personnes de la liste partent")),
        ],
        initial=ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    step = forms.ChoiceField(choices=[(REVIEW, REVIEW), (CONFIRM, CONFIRM)], initial=REVIEW, required=False)

    def __init__(self, *args: object, candidates: Sequence[Candidate], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.candidates = list(candidates)
        people = cast(forms.MultipleChoiceField, self.fields["people"])
        people.choices = [(str(c.key), f"{c.first_name} {c.last_name}") for c in self.candidates]
        self._eligible = {str(c.key) for c in self.candidates if c.eligible}

    def clean_people(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["people"]
        refused = [c for c in self.candidates if str(c.key) in chosen and not c.eligible]
        if refused:
            raise forms.ValidationError(
                _("%(name)s ne peut pas participer : %(reason)s")
                % {"name": refused[0].first_name, "reason": refused[0].reason}
            )
        return chosen

    @property
    def confirming(self) -> bool:
        return self.cleaned_data.get("step") == CONFIRM

    def chosen(self) -> list[Candidate]:
        keys = set(self.cleaned_data.get("people", []))
        return [c for c in self.candidates if str(c.key) in keys]

    def total(self) -> Decimal:
        return sum((c.price for c in self.chosen()), Decimal(0))

    def people_keys(self) -> list[str | int]:
        """As ``registration_request`` takes them: ``SELF`` or relatives' ids."""
        return [SELF if c.key == SELF else int(c.key) for c in self.chosen()]

    def accept_partial(self) -> bool:
        return self.cleaned_data["places"] == PARTIAL
