"""The register of a CLAS: its search and filters, and the correction of an
agent's data (also the agent's own, in « Mon compte »)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alphasierra.agents.forms.fields import PhoneField, with_empty_choice
from alphasierra.agents.forms.signup import SignupForm
from alphasierra.agents.models import Agent
from alphasierra.agents.validation import phone_display, phone_region_for_site, validate_postal_code
from alphasierra.listing import form_filters


class AgentCorrectionForm(forms.Form):
    """A manager's correction of an agent's data: the sign-up's fields and rules."""

    civility = SignupForm.base_fields["civility"]
    last_name = SignupForm.base_fields["last_name"]
    first_name = SignupForm.base_fields["first_name"]
    birth_date = SignupForm.base_fields["birth_date"]
    employer = SignupForm.base_fields["employer"]
    status = SignupForm.base_fields["status"]
    service = SignupForm.base_fields["service"]
    service_address = SignupForm.base_fields["service_address"]
    work_phone = SignupForm.base_fields["work_phone"]
    personal_phone = SignupForm.base_fields["personal_phone"]
    address = SignupForm.base_fields["address"]
    postal_code = SignupForm.base_fields["postal_code"]
    city = SignupForm.base_fields["city"]
    family_situation = SignupForm.base_fields["family_situation"]
    children_count = SignupForm.base_fields["children_count"]

    def __init__(self, data: Any = None, *, agent: Agent) -> None:
        region = phone_region_for_site(agent.clas.slug)
        initial = {name: getattr(agent, name) for name in self.base_fields}
        # Shown as on the agent's CLAS pages, in the very region the fields
        # read back: a number saved unchanged keeps its E.164 form.
        initial["work_phone"] = phone_display(agent.work_phone, region=region)
        initial["personal_phone"] = phone_display(agent.personal_phone, region=region)
        super().__init__(data, initial=initial)
        self.agent = agent
        for field in self.fields.values():
            if isinstance(field, PhoneField):
                field.region = region

    def clean_postal_code(self) -> str:
        return validate_postal_code(self.cleaned_data["postal_code"])

    def changes(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class RegisterFilterForm(forms.Form):
    """Search and filters of the register (a GET form: the URL can be shared)."""

    q = forms.CharField(
        label=_("Rechercher"), max_length=100, required=False, help_text=_("Nom, prénom, e-mail ou service.")
    )
    etat = forms.ChoiceField(label=_("État"), choices=with_empty_choice(Agent.State.choices, _("Tous")), required=False)
    employeur = forms.ChoiceField(
        label=_("Employeur"), choices=with_empty_choice(Agent.Employer.choices, _("Tous")), required=False
    )
    situation = forms.ChoiceField(
        label=_("Situation"), choices=with_empty_choice(Agent.Status.choices, _("Toutes")), required=False
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("nom", _("Nom (A → Z)")),
            ("-nom", _("Nom (Z → A)")),
            ("-inscription", _("Inscription (récentes d'abord)")),
            ("inscription", _("Inscription (anciennes d'abord)")),
            ("service", _("Service")),
        ],
    )

    def filters(self) -> dict[str, str]:
        """The valid filters, for the selector and the audit trail."""
        return form_filters(self)
