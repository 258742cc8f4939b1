from allauth.account import views as allauth_views
from django.urls import include, path, re_path

from alphasierra.accounts import views as second_factor_views
from alphasierra.agents.views import account
from alphasierra.agents.views import public as agent_views
from alphasierra.associations import views as association_views
from alphasierra.once.decorators import form_once

# allauth's pages (login, logout, e-mail confirmation, password reset and
# change, sessions) live under /comptes/, on the national site, whatever site
# the person came from: one sign-on for every site.
urlpatterns = [
    path("mon-compte/", agent_views.my_account, name="my-account"),
    path("mon-compte/modifier/", account.edit, name="my-account-edit"),
    path("mon-compte/famille/", account.family, name="my-family"),
    path("mon-compte/historique/", account.history, name="my-history"),
    path("mon-compte/mes-donnees.zip", account.download, name="my-data"),
    path("mon-compte/supprimer/", account.delete, name="my-account-delete"),
    path(
        "mon-compte/associations/<slug:slug>/retirer/",
        association_views.withdraw,
        name="association-withdraw",
    ),
    path("confirmation/envoyee/", agent_views.signup_sent, name="confirmation-sent"),
    path("confirmation/renvoyer/", agent_views.signup_resend, name="confirmation-resend"),
    path("confirmation/confirmee/", agent_views.email_confirmed, name="email-confirmed"),
    path("confirmation/code/", agent_views.confirmation_code, name="confirmation-code"),
    # allauth's forms that would act twice when sent twice (a second reset
    # e-mail) or answer a double click with an error (the link already used,
    # the old password no longer right): each sent once, as the portal's own.
    re_path(r"^confirm-email/(?P<key>[-:\w]+)/$", form_once(allauth_views.confirm_email), name="account_confirm_email"),
    path("password/reset/", form_once(allauth_views.password_reset), name="account_reset_password"),
    path("password/change/", form_once(allauth_views.password_change), name="account_change_password"),
    path("email/", form_once(allauth_views.email), name="account_email"),
    # The second factor's set-up returns to the page asked for, and its login
    # step offers a security key only to those who have one (accounts.views).
    path("2fa/authenticate/", second_factor_views.AuthenticateView.as_view(), name="mfa_authenticate"),
    path("2fa/totp/activate/", form_once(second_factor_views.ActivateTOTPView.as_view()), name="mfa_activate_totp"),
    path("2fa/recovery-codes/", second_factor_views.ViewRecoveryCodesView.as_view(), name="mfa_view_recovery_codes"),
    path("", include("allauth.urls")),
]
