from typing import Any

from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.core import context
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Adresse e-mail")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)


class ResetPasswordForm(AllauthResetPasswordForm):
    # allauth's « Email » reads « Courriel » through Django's catalogue: the
    # portal says « adresse e-mail » everywhere, as the communiqué does.
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")
        self.fields["email"].widget.attrs.pop("placeholder", None)


class ChangePasswordForm(AllauthChangePasswordForm):
    end_other_sessions = forms.BooleanField(
        label=_("Déconnecter mes autres sessions (autres appareils et navigateurs)"), required=False, initial=True
    )


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email",)


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """allauth's, but the secret offered stays the same until it is activated:
    allauth draws a new one at each display of the page, so reloading it (or
    coming back to it) would silently void the QR code already scanned, and
    the codes of the app would then all be refused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kept = context.request.session.get(SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if kept:
            self.secret = context.request.session[SECRET_SESSION_KEY] = kept
