"""Formsets of family rows that survive a garbled POST, and their round trips
without JavaScript (« Ajouter une ligne »)."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHILDREN_MAX = 30
FAMILY_MAX = CHILDREN_MAX + 1

GARBLED_MESSAGE = _(
    "Le formulaire reçu était incomplet ou altéré : vérifiez les lignes ci-dessous, "
    "puis envoyez-le à nouveau. Rien n'a été enregistré."
)


class RepairableFormSet[F: forms.Form](forms.BaseFormSet[F]):
    """A formset whose management form may arrive garbled (see ``formset_data``):
    it then refuses to be valid, with a French message at the top."""

    garbled = False
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "missing_management_form": GARBLED_MESSAGE,
    }

    def clean(self) -> None:
        if self.garbled:
            raise ValidationError(GARBLED_MESSAGE, code="garbled")

    def add_error(self, error: ValidationError) -> None:
        """An error found after validation (by a service), shown at the top."""
        self.non_form_errors().extend(error.messages)


def focus_last_row(formset: forms.BaseFormSet[Any]) -> None:
    """The row just added takes the focus, and so is scrolled to, without a
    script: ``autofocus`` on its first field. (Not a ``#fragment`` on the
    form's action as well: browsers skip autofocus when the address has one.)"""
    if formset.forms:
        row = formset.forms[-1]
        first = next(field for field in row if not field.is_hidden)
        first.field.widget.attrs["autofocus"] = True


def _whole_number(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    # ASCII digits only: int() would also read "１２", "1_000" or " +3".
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def formset_data(data: Any, prefix: str, *, limit: int) -> tuple[Any, bool]:
    """The POST data of a formset, with its management form checked.

    Counters that are not whole numbers, or beyond ``limit`` rows, are replaced
    by the rows actually sent (at most ``limit``), so that what was typed comes
    back; the second value is then True and the formset refuses to be saved
    (``garbled``), missing counters included: a form that lost them is not
    an empty family.
    """
    total_key, initial_key = f"{prefix}-TOTAL_FORMS", f"{prefix}-INITIAL_FORMS"
    total, initial = _whole_number(data.get(total_key)), _whole_number(data.get(initial_key))
    if total is not None and initial is not None and total <= limit:
        return data, False
    row = re.compile(rf"{re.escape(prefix)}-(\d{{1,6}})-\w+")
    indexes = [int(match.group(1)) for key in data if (match := row.fullmatch(key))]
    data = data.copy()
    data[total_key] = str(min(max(indexes, default=-1) + 1, limit))
    # Rows are then all read as new or as carrying their own relative_id:
    # nothing depends on which ones the page showed first.
    data[initial_key] = "0"
    return data, True


def with_one_more_row(data: Any, prefix: str, *, limit: int) -> Any:
    """The POST data of a formset (already checked by ``formset_data``) with
    one more empty row: adding a row without JavaScript is a round trip that
    keeps everything typed."""
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    data[total] = str(min(_whole_number(data.get(total)) or 0, limit - 1) + 1)
    return data
