from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from alphasierra.once.services import FIELD, form_token_new

register = template.Library()


@register.simple_tag(takes_context=True)
def form_once(context: dict[str, Any]) -> SafeString:
    """The hidden one-time token of a POST form, next to ``{% csrf_token %}``
    (a built-in tag: no ``{% load %}`` needed)."""
    request = context.get("request")
    page = request.get_full_path() if request is not None else "/"
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, form_token_new(page=page))
