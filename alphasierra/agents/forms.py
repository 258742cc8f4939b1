import re
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services.family import FamilyRow
from alphasierra.agents.services.signup import AgentDetails, RelativeDetails
from alphasierra.agents.validation import (
    clean_person_name,
    phone_display,
    phone_region_for_site,
    phone_to_e164,
    validate_birth_date,
    validate_postal_code,
)
from alphasierra.organisations.models import Organisation

StrOrPromise = str | Promise
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _choices(choices: Sequence[tuple[str, StrOrPromise]], empty: StrOrPromise) -> list[tuple[str, StrOrPromise]]:
    return [("", empty), *choices]


class PersonNameField(forms.CharField):
    """A nom or prénom: Unicode letters, spaces, hyphens, apostrophes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_person_name(value, max_length=self.max_length or 100) if value else ""


class BirthDateField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DATE_WIDGET)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Date de naissance"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date | None:
        birth_date: date | None = super().clean(value)
        if birth_date is not None:
            validate_birth_date(birth_date)
        return birth_date


class PhoneField(forms.CharField):
    """A phone number stored in E.164; the site's region reads local numbers."""

    def __init__(self, *, region: str = "FR", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)
        self.region = region

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return phone_to_e164(value, region=self.region) if value else ""


class PasswordField(forms.CharField):
    """A password: never written back into a page. ``notice`` is a message
    shown next to it (see ``SignupForm.ask_passwords_again``)."""

    notice: StrOrPromise = ""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), **kwargs)


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
    civility = forms.ChoiceField(label=_("Civilité"), choices=_choices(Agent.Civility.choices, "—"))
    last_name = PersonNameField(label=_("Nom"), widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    first_name = PersonNameField(label=_("Prénom"), widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    birth_date = BirthDateField(help_text=_("Facultatif."))
    # Votre situation professionnelle
    employer = forms.ChoiceField(label=_("Employeur"), choices=_choices(Agent.Employer.choices, "—"))
    status = forms.ChoiceField(label=_("Situation"), choices=_choices(Agent.Status.choices, "—"))
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
        choices=_choices(Agent.FamilySituation.choices, _("Non renseignée")),
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


def focus_last_row(formset: forms.BaseFormSet[Any]) -> None:
    """The row just added takes the focus, and so is scrolled to, without a
    script: ``autofocus`` on its first field. (Not a ``#fragment`` on the
    form's action as well: browsers skip autofocus when the address has one.)"""
    if formset.forms:
        row = formset.forms[-1]
        first = next(field for field in row if not field.is_hidden)
        first.field.widget.attrs["autofocus"] = True


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
    etat = forms.ChoiceField(label=_("État"), choices=_choices(Agent.State.choices, _("Tous")), required=False)
    employeur = forms.ChoiceField(
        label=_("Employeur"), choices=_choices(Agent.Employer.choices, _("Tous")), required=False
    )
    situation = forms.ChoiceField(
        label=_("Situation"), choices=_choices(Agent.Status.choices, _("Toutes")), required=False
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
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class RelativeForm(forms.Form):
    relative_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Lien"), choices=_choices(Relative.Kind.choices, "—"))
    last_name = PersonNameField(label=_("Nom"))
    first_name = PersonNameField(label=_("Prénom"))
    birth_date = BirthDateField()


class BaseFamilyFormSet(RepairableFormSet[RelativeForm]):
    def rows(self) -> list[FamilyRow]:
        return [row for _form, row in self._rows()]

    def add_error(self, error: ValidationError) -> None:
        """An error of the service: next to the row it names (on its « Lien »),
        or at the top."""
        row = getattr(error, "row", None)
        if row is None:
            super().add_error(error)
            return
        form, _row = self._rows()[row]
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
