from django import forms
from django.utils.translation import gettext_lazy as _

from alphasierra.organisations.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False, empty_label=_("Toutes")
    )
    actor = forms.CharField(label=_("Auteur (e-mail)"), max_length=254, required=False)
    subject = forms.CharField(label=_("Agent concerné (e-mail)"), max_length=254, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("Du"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("Au"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: object, actions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action"].choices = [("", _("Toutes")), *[(a, a) for a in actions]]  # type: ignore[attr-defined]
