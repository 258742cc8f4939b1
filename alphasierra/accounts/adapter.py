from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from alphasierra.mail.services import RenderedMessage, message_record, subject_for_site


class AccountAdapter(DefaultAccountAdapter):
    """allauth, the portal's way: e-mails go through the outbox and its worker,
    with the current site's name in the subject; accounts are created on a CLAS
    site by the agent sign-up, never by allauth's generic form."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = self.request
        organisation = getattr(request, "organisation", None)
        message = self.render_mail(template_prefix, email, {"request": request, "email": email, **context})
        html = next(
            (str(body) for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        rendered = RenderedMessage(
            subject=subject_for_site(str(message.subject), organisation), text=str(message.body), html=html
        )
        message_record(to=email, rendered=rendered, organisation=organisation)
