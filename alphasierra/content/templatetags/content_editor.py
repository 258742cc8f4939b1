"""What the back-office's pages show of the content editor (the menu, the
dashboard) and its addresses, given by the content app itself: the pages
app and the organisations' templates stand apart from it."""

from typing import Any

from django import template

from alphasierra.content.access import may_edit_content
from alphasierra.content.models import page_url
from alphasierra.organisations.models import Organisation

register = template.Library()


@register.simple_tag(takes_context=True)
def content_editor_open(context: template.Context) -> bool:
    """``{% content_editor_open as may_edit %}``: whether the person may edit this site's content."""
    request = context.get("request")
    organisation: Organisation | None = context.get("organisation")
    user = getattr(request, "user", None)
    if organisation is None or user is None or not user.is_authenticated:
        return False
    return may_edit_content(user=user, organisation=organisation)


@register.simple_tag(takes_context=True)
def editor_url(context: template.Context, name: str, **kwargs: Any) -> str:
    """``{% editor_url "page-edit" pk=page.pk %}``: an address of the editor on this site,
    the national one included (its routes have no site in their path)."""
    return page_url(context["organisation"], f"content:{name}", **kwargs)
