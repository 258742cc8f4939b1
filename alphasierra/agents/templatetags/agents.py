from django import template
from django.core.exceptions import ValidationError

from alphasierra.agents.validation import phone_national

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """A stored E.164 number in its national form (« 05 61 00 00 00 »)."""
    if not e164:
        return ""
    try:
        return phone_national(e164)
    except ValidationError:
        return e164
