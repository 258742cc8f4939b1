from decimal import Decimal

from babel.numbers import format_currency
from django import template
from django.utils import translation

from alphasierra.organisations.models import Organisation

register = template.Library()


@register.filter
def money(value: Decimal | int | None, organisation: Organisation) -> str:
    """``{{ activity.price_child|money:activity.organisation }}``: « 12,50 € »,
    or « 1 500 F CFP » with no decimals for the franc Pacifique."""
    if value is None:
        return ""
    locale = translation.to_locale(translation.get_language() or "fr")
    return format_currency(Decimal(value), organisation.currency, locale=locale)
