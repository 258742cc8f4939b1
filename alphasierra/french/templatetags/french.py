"""Filters for French that reads right (built in: no ``{% load %}`` needed).

``{{ organisation|de_org }}`` « du CLAS Nord » / « d'ARAMIS »,
``{{ organisation|a_org }}`` « au CLAS Nord » / « à ARAMIS »,
``{{ organisation|le_org }}`` « le CLAS Nord » / « ARAMIS »,
``{{ agent.full_name|de }}`` « d'Alice Martin »,
``{{ date|long_date }}`` « 1er juin 2026 »,
``{{ agent|agree:"né,née" }}`` « née » for Madame,
``{{ agent.get_status_display|agreed:agent }}`` « retraitée » for Madame.
"""

from datetime import date
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter

from alphasierra.french import grammar

register = template.Library()

register.filter("de_org", grammar.de_org)
register.filter("a_org", grammar.a_org)
register.filter("le_org", grammar.le_org)


@register.filter("de")
def de(phrase: Any) -> str:
    return grammar.de(str(phrase))


@register.filter(expects_localtime=True)
def long_date(value: date | None, date_format: str = "j F Y") -> str:
    """Django's ``date`` filter, writing the first of the month « 1er » in French."""
    if value in (None, ""):
        return ""
    if getattr(value, "day", None) == 1 and grammar.in_french():
        date_format = grammar.first_of_month_format(date_format)
    return date_filter(value, date_format)


@register.filter
def agree(person: Any, forms: str) -> str:
    """``"masculine,feminine"``, the form agreeing with the person's civilité."""
    masculine, _, feminine = forms.partition(",")
    return grammar.agree(grammar.civility_of(person), masculine, feminine or masculine)


@register.filter
def agreed(label: Any, person: Any) -> str:
    """A label written for everyone (« marié(e) », « retraité ») agreeing with the person's civilité."""
    return grammar.agree_label(str(label), grammar.civility_of(person))
