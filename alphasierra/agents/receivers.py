from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_changed, email_confirmed
from django.dispatch import receiver

from alphasierra.accounts.models import User
from alphasierra.agents.services.register import agent_refresh_search
from alphasierra.agents.services.signup import agent_confirm_email


@receiver(email_confirmed)
def on_email_confirmed(sender: Any, email_address: EmailAddress, request: Any = None, **kwargs: Any) -> None:
    # allauth owns the confirmation link; the agent's state moves in the service.
    agent = agent_confirm_email(user=email_address.user)
    if agent is not None and request is not None:
        # The link may be opened in another browser than the sign-up's: the
        # page that follows (« Adresse e-mail confirmée ») still names the CLAS.
        request.site_to_remember = agent.clas


@receiver(email_changed)
def on_email_changed(sender: Any, user: User, **kwargs: Any) -> None:
    # The register searches the e-mail too.
    agent_refresh_search(user=user)
