from django import template
from django.utils.safestring import SafeString

from alphasierra.markdown import markdown_html

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """``{% load markdown %}{{ activity.description|markdown }}``: Markdown as sanitised HTML."""
    return markdown_html(text)
