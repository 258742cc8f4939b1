from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.core.exceptions import ValidationError

from alphasierra.agents.validation import phone_display, phone_international, phone_region_for_site
from alphasierra.organisations.models import Organisation

register = template.Library()


@register.filter
def phone(e164: str, site: Organisation | None = None) -> str:
    """A stored E.164 number as the viewer's organisation dials it (see
    ``phone_display``): ``{{ agent.personal_phone|phone:organisation }}``.

    Without a site, the international form, which is dialled from anywhere.
    """
    if not e164:
        return ""
    try:
        if site is None or not getattr(site, "slug", None):
            return phone_international(e164)
        return phone_display(e164, region=phone_region_for_site(site.slug))
    except ValidationError:
        return e164


@dataclass(frozen=True)
class ErrorLink:
    href: str
    label: str
    messages: list[object]


@register.simple_tag
def error_links(
    form: forms.BaseForm | None,
    formset: forms.BaseFormSet[Any] | None = None,
    *,
    row_label: str = "",
    formset_anchor: str = "",
) -> list[ErrorLink]:
    """The errors of a sent form for the summary at the top of a long form
    (RGAA 11.10): one entry per field in error, a link to the field with every
    message of it; then a formset's rows (« Enfant 2 — Prénom »), and the
    formset's own errors, linked to ``formset_anchor``."""
    links = []
    # A variable the template lacks arrives as "".
    if form:
        if form.non_field_errors():
            links.append(ErrorLink("", "", list(form.non_field_errors())))
        links += _field_links(form, "")
    if formset:
        for number, row in enumerate(formset.forms, start=1):
            links += _field_links(row, f"{row_label} {number} — ")
        if formset.non_form_errors():
            links.append(ErrorLink(f"#{formset_anchor}", row_label, list(formset.non_form_errors())))
    return links


def _field_links(form: forms.BaseForm, prefix: str) -> list[ErrorLink]:
    links = []
    for field in form:
        if field.errors and not field.is_hidden:
            links.append(ErrorLink(f"#{field.id_for_label}", f"{prefix}{field.label}", list(field.errors)))
    return links
