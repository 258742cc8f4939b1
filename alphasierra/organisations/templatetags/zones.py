from datetime import datetime

from django import template

from alphasierra.organisations.zones import moment_format

register = template.Library()


@register.filter(expects_localtime=False)
def moment(value: datetime | None, fmt: str = "") -> str:
    """``{{ event.created_at|moment:"SHORT_DATETIME_FORMAT" }}``: the date and
    time in the page's zone, naming the zone when it is not Paris time (a
    built-in filter, as every page showing a time needs it)."""
    if not value:
        return ""
    return moment_format(value, fmt)
