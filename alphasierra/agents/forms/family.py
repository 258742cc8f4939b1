"""The family editor: spouse and children, one row each."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alphasierra.agents.forms.fields import BirthDateField, PersonNameField, with_empty_choice
from alphasierra.agents.forms.formsets import (
    FAMILY_MAX,
    RepairableFormSet,
    focus_last_row,
    formset_data,
    with_one_more_row,
)
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services.family import FamilyRow, FamilyRuleError


class RelativeForm(forms.Form):
    relative_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Lien"), choices=with_empty_choice(Relative.Kind.choices, "—"))
    last_name = PersonNameField(label=_("Nom"))
    first_name = PersonNameField(label=_("Prénom"))
    birth_date = BirthDateField()


class BaseFamilyFormSet(RepairableFormSet[RelativeForm]):
    def rows(self) -> list[FamilyRow]:
        return [row for _form, row in self._rows()]

    def add_error(self, error: ValidationError) -> None:
        """An error of the service: next to the row it names (on its « Lien »),
        or at the top."""
        if not isinstance(error, FamilyRuleError) or error.row is None:
            super().add_error(error)
            return
        form, _row = self._rows()[error.row]
        form.add_error("kind", error)

    def _rows(self) -> list[tuple[RelativeForm, FamilyRow]]:
        """The rows sent to the service, each with the form it was read from."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or (not form.has_changed() and not data.get("relative_id")):
                continue
            row = FamilyRow(
                kind=data.get("kind", ""),
                last_name=data.get("last_name", ""),
                first_name=data.get("first_name", ""),
                birth_date=data.get("birth_date"),
                relative_id=data.get("relative_id"),
                delete=bool(data.get("DELETE")),
            )
            rows.append((form, row))
        return rows


FamilyFormSet = forms.formset_factory(
    RelativeForm,
    formset=BaseFamilyFormSet,
    extra=1,
    can_delete=True,
    max_num=FAMILY_MAX,
    absolute_max=FAMILY_MAX,
    validate_max=True,
)


def family_formset(
    agent: Agent, data: Any = None, *, prefix: str = "famille", garbled: bool = False
) -> BaseFamilyFormSet:
    initial = [
        {
            "relative_id": r.pk,
            "kind": r.kind,
            "last_name": r.last_name,
            "first_name": r.first_name,
            "birth_date": r.birth_date,
        }
        for r in agent.relatives.all()
    ]
    formset = cast(BaseFamilyFormSet, FamilyFormSet(data, initial=initial, prefix=prefix))
    formset.garbled = garbled
    return formset


def family_formset_sent(agent: Agent, post: Any) -> tuple[BaseFamilyFormSet, bool]:
    """The family formset of the page (``post`` is None on a GET), and whether
    it was sent to be saved: « Ajouter une ligne » only adds an empty row, which
    takes the focus, everything typed kept."""
    if post is None:
        return family_formset(agent), False
    data, garbled = formset_data(post, "famille", limit=FAMILY_MAX)
    if "ajouter_ligne" in post and not garbled:
        formset = family_formset(agent, with_one_more_row(data, "famille", limit=FAMILY_MAX))
        focus_last_row(formset)
        return formset, False
    return family_formset(agent, data, garbled=garbled), True
