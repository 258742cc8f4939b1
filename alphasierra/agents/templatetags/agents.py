from django import template
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
