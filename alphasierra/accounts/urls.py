from django.urls import include, path

from alphasierra.agents.views import public as agent_views

# allauth's pages (login, logout, e-mail confirmation, password reset and
# change, sessions) live under /comptes/, on the national site, whatever site
# the person came from: one sign-on for every site.
urlpatterns = [
    path("mon-compte/", agent_views.my_account, name="my-account"),
    path("confirmation/envoyee/", agent_views.signup_sent, name="confirmation-sent"),
    path("confirmation/renvoyer/", agent_views.signup_resend, name="confirmation-resend"),
    path("confirmation/confirmee/", agent_views.email_confirmed, name="email-confirmed"),
    path("confirmation/code/", agent_views.confirmation_code, name="confirmation-code"),
    path("", include("allauth.urls")),
]
