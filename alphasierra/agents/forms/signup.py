"""The sign-up page and the confirmation of the address."""

from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User
from alphasierra.agents.forms.fields import (
    TEXTAREA,
    BirthDateField,
    PasswordField,
    PersonNameField,
    PhoneField,
    with_empty_choice,
)
from alphasierra.agents.forms.formsets import CHILDREN_MAX, RepairableFormSet
from alphasierra.agents.models import Agent
from alphasierra.agents.services.signup import AgentDetails, RelativeDetails
from alphasierra.agents.validation import phone_region_for_site, validate_postal_code
from alphasierra.organisations.models import Organisation

PASSWORDS_NOT_KEPT = _(
    "Pour votre sécurité, le mot de passe n'est pas conservé quand la page se recharge : saisissez-le à nouveau."
)


class SignupForm(forms.Form):
    """Every field of the communiqué, in the order a person fills them."""

    # Votre compte
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Elle vous servira à vous connecter ; un e-mail de confirmation vous y sera envoyé."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = PasswordField(
        label=_("Mot de passe"),
        help_text=_("12 caractères au moins ; une phrase de plusieurs mots est idéale."),
    )
    password2 = PasswordField(label=_("Confirmation du mot de passe"))
    # Vous
    civility = forms.ChoiceField(label=_("Civilité"), choices=with_empty_choice(Agent.Civility.choices, "—"))
    last_name = PersonNameField(label=_("Nom"), widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    first_name = PersonNameField(label=_("Prénom"), widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    birth_date = BirthDateField(help_text=_("Facultatif."))
    # Votre situation professionnelle
    employer = forms.ChoiceField(label=_("Employeur"), choices=with_empty_choice(Agent.Employer.choices, "—"))
    status = forms.ChoiceField(label=_("Situation"), choices=with_empty_choice(Agent.Status.choices, "—"))
    service = forms.CharField(
        label=_("Service"),
        max_length=200,
        help_text=_("Si vous êtes retraité, votre dernier service."),
    )
    service_address = forms.CharField(label=_("Adresse du service"), max_length=500, widget=TEXTAREA)
    work_phone = PhoneField(label=_("Téléphone professionnel"))
    # Vos coordonnées
    personal_phone = PhoneField(label=_("Téléphone personnel"))
    address = forms.CharField(
        label=_("Adresse postale"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("Numéro, voie, complément."),
    )
    postal_code = forms.CharField(
        label=_("Code postal"), max_length=10, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    city = forms.CharField(
        label=_("Commune"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    # Votre famille (facultatif)
    family_situation = forms.ChoiceField(
        label=_("Situation familiale"),
        choices=with_empty_choice(Agent.FamilySituation.choices, _("Non renseignée")),
        required=False,
    )
    children_count = forms.IntegerField(label=_("Nombre d'enfants"), min_value=0, max_value=30, required=False)
    spouse_last_name = PersonNameField(label=_("Nom du conjoint"), required=False)
    spouse_first_name = PersonNameField(label=_("Prénom du conjoint"), required=False)
    spouse_birth_date = BirthDateField(label=_("Date de naissance du conjoint"))

    sections = [
        (_("Votre compte"), ["email", "password1", "password2"]),
        (_("Vous"), ["civility", "last_name", "first_name", "birth_date"]),
        (_("Votre situation professionnelle"), ["employer", "status", "service", "service_address", "work_phone"]),
        (_("Vos coordonnées personnelles"), ["personal_phone", "address", "postal_code", "city"]),
        (_("Votre famille (facultatif)"), ["family_situation", "children_count"]),
        (_("Votre conjoint (facultatif)"), ["spouse_last_name", "spouse_first_name", "spouse_birth_date"]),
    ]

    def __init__(self, *args: Any, clas: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = phone_region_for_site(clas.slug)
        for field in self.fields.values():
            if isinstance(field, PhoneField):
                field.region = region

    def clean_postal_code(self) -> str:
        return validate_postal_code(self.cleaned_data["postal_code"])

    def ask_passwords_again(self) -> None:
        """The page comes back without the passwords typed (a page kept in the
        browser's history or cache must not hold them): the person is told,
        next to each field, to type them again."""
        for name in ("password1", "password2"):
            field = self.fields[name]
            if self.data.get(name) and isinstance(field, PasswordField):
                field.notice = PASSWORDS_NOT_KEPT
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-desc-notice"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        password1, password2 = data.get("password1"), data.get("password2")
        # Every rule at once: a person told only of the mismatch would then
        # learn, on the next try, that the password was also too short.
        if password1:
            candidate = User(email=data.get("email", ""))
            try:
                validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        spouse = [data.get("spouse_last_name"), data.get("spouse_first_name")]
        if any(spouse) or data.get("spouse_birth_date"):
            if not data.get("spouse_last_name"):
                self.add_error("spouse_last_name", _("Indiquez le nom du conjoint."))
            if not data.get("spouse_first_name"):
                self.add_error("spouse_first_name", _("Indiquez le prénom du conjoint."))
        return data

    def details(self, children: list[RelativeDetails]) -> AgentDetails:
        data = self.cleaned_data
        spouse = None
        if data["spouse_last_name"]:
            spouse = RelativeDetails(data["spouse_last_name"], data["spouse_first_name"], data["spouse_birth_date"])
        return AgentDetails(
            civility=data["civility"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            employer=data["employer"],
            status=data["status"],
            service=data["service"].strip(),
            service_address=data["service_address"].strip(),
            work_phone=data["work_phone"],
            personal_phone=data["personal_phone"],
            address=data["address"].strip(),
            postal_code=data["postal_code"],
            city=data["city"].strip(),
            birth_date=data["birth_date"],
            family_situation=data["family_situation"],
            children_count=data["children_count"],
            spouse=spouse,
            children=children,
        )


class ChildForm(forms.Form):
    last_name = PersonNameField(label=_("Nom"))
    first_name = PersonNameField(label=_("Prénom"))
    birth_date = BirthDateField()


# The most rows a family formset takes; more would only cost memory.


class BaseChildFormSet(RepairableFormSet[ChildForm]):
    def children(self) -> list[RelativeDetails]:
        """The children listed: rows left empty or ticked « Retirer » are ignored."""
        return [
            RelativeDetails(
                form.cleaned_data["last_name"], form.cleaned_data["first_name"], form.cleaned_data["birth_date"]
            )
            for form in self.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]


ChildFormSet = forms.formset_factory(
    ChildForm,
    formset=BaseChildFormSet,
    extra=0,
    can_delete=True,
    max_num=CHILDREN_MAX,
    absolute_max=CHILDREN_MAX,
    validate_max=True,
)


def child_formset(data: Any = None, *, prefix: str, garbled: bool = False) -> BaseChildFormSet:
    formset = cast(BaseChildFormSet, ChildFormSet(data, prefix=prefix))
    formset.garbled = garbled
    return formset


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)


class ConfirmationCodeForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)
    code = forms.CharField(
        label=_("Code de confirmation"),
        max_length=20,
        help_text=_("Les 8 caractères reçus par e-mail, par exemple K7QM-4XPA."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
