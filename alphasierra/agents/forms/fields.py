"""The fields the agents' forms share: names, birth dates, phones, passwords."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alphasierra.agents.validation import clean_person_name, phone_to_e164, validate_birth_date

StrOrPromise = str | Promise
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


Choices = list[tuple[str, StrOrPromise]]


def with_empty_choice(choices: Sequence[tuple[str, StrOrPromise]], empty: StrOrPromise) -> Choices:
    """The choices of a select, after a first one meaning « none chosen »."""
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
