from allauth.account import views as allauth_views
from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.mfa.totp import views as totp_views
from allauth.usersessions import views as usersession_views
from django.urls import include, path, re_path

from alphasierra.accounts import views as second_factor_views
from alphasierra.once.decorators import form_once

# allauth's pages (login, logout, e-mail confirmation, password reset and
# change, sessions) live under /comptes/, on the national site, whatever site
# the person came from: one sign-on for every site. « Mon compte » and the
# confirmation pages are the agents' (agents.account_urls), included before.
urlpatterns = [
    # allauth's forms that would act twice when sent twice (a second reset
    # e-mail) or answer a double click with an error (the link already used,
    # the old password no longer right): each sent once, as the portal's own.
    re_path(r"^confirm-email/(?P<key>[-:\w]+)/$", form_once(allauth_views.confirm_email), name="account_confirm_email"),
    path("password/reset/", form_once(allauth_views.password_reset), name="account_reset_password"),
    path("password/change/", form_once(allauth_views.password_change), name="account_change_password"),
    path("email/", form_once(allauth_views.email), name="account_email"),
    # Sent twice, turning the second factor off would answer a 404 (there is
    # none left), and new recovery codes would replace the ones just shown.
    path("2fa/totp/deactivate/", form_once(totp_views.deactivate_totp), name="mfa_deactivate_totp"),
    path(
        "2fa/recovery-codes/generate/",
        form_once(recovery_code_views.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path("sessions/", form_once(usersession_views.list_usersessions), name="usersessions_list"),
    # The second factor's set-up returns to the page asked for, and its login
    # step offers a security key only to those who have one (accounts.views).
    path("2fa/authenticate/", second_factor_views.AuthenticateView.as_view(), name="mfa_authenticate"),
    path("2fa/totp/activate/", form_once(second_factor_views.ActivateTOTPView.as_view()), name="mfa_activate_totp"),
    path("2fa/recovery-codes/", second_factor_views.ViewRecoveryCodesView.as_view(), name="mfa_view_recovery_codes"),
    path("", include("allauth.urls")),
]
