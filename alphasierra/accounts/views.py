"""allauth's second-factor pages, as the portal needs them.

Staff are sent to set up their second factor by the back-office, with the page
they asked for in ``next``: once it is set up, they go on to that page (through
their recovery codes). At login, a security key is offered only to those who
registered one.
"""

from typing import Any

from allauth.mfa.base import views as base_views
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes import views as recovery_codes_views
from allauth.mfa.totp import views as totp_views
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def next_url(request: HttpRequest) -> str:
    """The ``next`` of the request if it stays on the portal, else ""."""
    url = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and safe else ""


class ActivateTOTPView(totp_views.ActivateTOTPView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        next_page = next_url(self.request)
        context["next_url"] = next_page
        context["query"] = f"?{urlencode({'next': next_page})}" if next_page else ""
        return context

    def get_success_url(self) -> str:
        url = super().get_success_url()
        next_page = next_url(self.request)
        if not next_page:
            return url
        if self.did_generate_recovery_codes:
            return f"{url}?{urlencode({'next': next_page})}"
        return next_page


class ViewRecoveryCodesView(recovery_codes_views.ViewRecoveryCodesView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next_url"] = next_url(self.request)
        return context


class AuthenticateView(base_views.AuthenticateView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.stage.login.user
        context["has_security_key"] = Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()
        return context
