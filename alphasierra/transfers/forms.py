from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alphasierra.organisations.models import Organisation
from alphasierra.transfers.models import Transfer


class TransferRequestForm(forms.Form):
    destination = forms.ModelChoiceField(label=_("CLAS de destination"), queryset=Organisation.objects.none())
    reason = forms.ChoiceField(label=_("Motif"), choices=[("", "—"), *Transfer.Reason.choices])
    effective_date = forms.DateField(
        label=_("Date du changement"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    message = forms.CharField(
        label=_("Message pour le CLAS de destination"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif."),
    )

    def __init__(self, *args: Any, current: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["destination"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Organisation.objects.filter(kind=Organisation.Kind.CLAS).exclude(pk=current.pk)
            field.empty_label = "—"

    def clean_effective_date(self) -> date:
        value: date = self.cleaned_data["effective_date"]
        today = timezone.localdate()
        if abs((value - today).days) > 366:
            raise forms.ValidationError(_("Indiquez une date dans l'année qui vient ou l'année passée."))
        return value


class TransferRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il est communiqué à l'agent par e-mail."),
    )
