from django.urls import path

from alphasierra.agents.views import account
from alphasierra.agents.views import public as agent_views

# « Mon compte » and the e-mail confirmation pages, under /comptes/ on the
# national site (included by the root urls before allauth's pages).
urlpatterns = [
    path("mon-compte/", agent_views.my_account, name="my-account"),
    path("mon-compte/modifier/", account.edit, name="my-account-edit"),
    path("mon-compte/famille/", account.family, name="my-family"),
    path("mon-compte/historique/", account.history, name="my-history"),
    path("mon-compte/mes-donnees.zip", account.download, name="my-data"),
    path("mon-compte/supprimer/", account.delete, name="my-account-delete"),
    path("confirmation/envoyee/", agent_views.signup_sent, name="confirmation-sent"),
    path("confirmation/renvoyer/", agent_views.signup_resend, name="confirmation-resend"),
    path("confirmation/confirmee/", agent_views.email_confirmed, name="email-confirmed"),
    path("confirmation/code/", agent_views.confirmation_code, name="confirmation-code"),
]
