"""The decision on a registration."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alphasierra.agents.forms.fields import TEXTAREA


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=1000,
        widget=TEXTAREA,
        help_text=_("Il est communiqué à la personne par e-mail."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Indiquez le motif du refus."), code="required")
        return reason
