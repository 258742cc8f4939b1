from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User
from alphasierra.organisations.models import Organisation, Role


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un compte"), max_length=100, required=False, help_text=_("Nom ou e-mail."))


class RoleGrantForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Compte"),
        queryset=User.objects.filter(is_active=True),
        widget=forms.HiddenInput,
        # An account erased or deactivated since the page was shown.
        error_messages={
            "invalid_choice": _("Ce compte n'existe plus ou a été désactivé : aucun rôle n'a été attribué."),
            "required": _("Choisissez d'abord un compte."),
        },
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all(), empty_label="—")
    kind = forms.ChoiceField(label=_("Rôle"), choices=[("", "—"), *Role.Kind.choices])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("organisation") and data.get("kind"):
            role = Role(user=data.get("user"), organisation=data["organisation"], kind=data["kind"])
            try:
                role.clean()
            except forms.ValidationError as error:
                self.add_error("kind", error.messages[0])
        return data
