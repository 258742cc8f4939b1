from django import template

from alphasierra.activities.models import Registration
from alphasierra.activities.selectors.registrations import position_of

register = template.Library()


@register.filter
def waiting_position(registration: Registration) -> int | None:
    """``{{ registration|waiting_position }}``: 1 for the next in line; the
    request comes from ``selectors.with_waiting_position``."""
    return position_of(registration)
