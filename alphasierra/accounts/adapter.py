from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from alphasierra.accounts.models import User
from alphasierra.agents.services.signup import agent_issue_confirmation_code
from alphasierra.mail.selectors import recipient_name
from alphasierra.mail.services import RenderedMessage, message_record, subject_for_site
from alphasierra.organisations.models import Organisation


class AccountAdapter(DefaultAccountAdapter):
    """allauth, the portal's way: e-mails go through the outbox and its worker,
    with the current site's name in the subject; accounts are created on a CLAS
    site by the agent sign-up, never by allauth's generic form."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    # Links in e-mails are built from PORTAL_URL: the portal's public address,
    # the same whether the message is sent from a request or from a task.
    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation: Any) -> str:
        return f"{settings.PORTAL_URL}{reverse('account_confirm_email', args=[emailconfirmation.key])}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's own recipe: reverse with placeholders, then put the opaque key in.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return f"{settings.PORTAL_URL}{path.replace('UID-KEY', quote(key))}"

    def send_confirmation_mail(self, request: HttpRequest | None, emailconfirmation: Any, signup: bool) -> None:
        # An agent's confirmation carries a short code too, valid as long as the link.
        agent = getattr(emailconfirmation.email_address.user, "agent", None)
        code = agent_issue_confirmation_code(agent=agent) if agent is not None else ""
        context = {
            "user": emailconfirmation.email_address.user,
            "key": emailconfirmation.key,
            "activate_url": self.get_email_confirmation_url(request, emailconfirmation),
            "code": code,
            "code_url": f"{settings.PORTAL_URL}{reverse('confirmation-code')}",
        }
        template = "account/email/email_confirmation_signup" if signup else "account/email/email_confirmation"
        self.send_mail(template, emailconfirmation.email_address.email, context)

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        return reverse("email-confirmed")

    @staticmethod
    def _organisation_for(user: Any, request: HttpRequest | None) -> Organisation | None:
        """The site an account's e-mails speak for: the agent's CLAS, else the
        site the request was made on."""
        agent = getattr(user, "agent", None) if user is not None else None
        if agent is not None:
            return agent.clas
        return getattr(request, "organisation", None)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = self.request
        user = context.get("user")
        organisation = self._organisation_for(user, request)
        # The same context as the portal's own messages (mail/base.html): the footer's
        # link is absolute, read in a mail client far from the portal.
        base = {
            "request": request,
            "email": email,
            "organisation": organisation,
            "portal_url": settings.PORTAL_URL,
            # The account's name, even for a message to an address it does not use yet.
            "recipient_name": recipient_name(email=email, user=user if isinstance(user, User) else None),
        }
        message = self.render_mail(template_prefix, email, {**base, **context})
        html = next(
            (str(body) for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        rendered = RenderedMessage(
            subject=subject_for_site(str(message.subject), organisation), text=str(message.body), html=html
        )
        # Tied to the account even when sent to an address it is leaving or not yet using.
        about = [user] if isinstance(user, User) and user.pk else []
        message_record(to=email, rendered=rendered, organisation=organisation, about=about)
