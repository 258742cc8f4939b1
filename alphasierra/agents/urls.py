from django.urls import path, re_path

from alphasierra.agents.views import public, register, registrations

app_name = "agents"
urlpatterns = [
    path("<slug:site>/inscription/", public.signup, name="signup"),
    path("<slug:site>/inscription/envoyee/", public.signup_sent, name="signup-sent"),
    path("<slug:site>/inscription/renvoyer/", public.signup_resend, name="signup-resend"),
    path("<slug:site>/gestion/inscriptions/", registrations.requests, name="requests"),
    path("<slug:site>/gestion/inscriptions/<int:pk>/", registrations.request_detail, name="request-detail"),
    path("<slug:site>/gestion/inscriptions/<int:pk>/valider/", registrations.request_approve, name="request-approve"),
    path("<slug:site>/gestion/inscriptions/<int:pk>/refuser/", registrations.request_reject, name="request-reject"),
    path("<slug:site>/gestion/suppressions/", registrations.deletions, name="deletions"),
    path(
        "<slug:site>/gestion/suppressions/<int:pk>/confirmer/", registrations.deletion_confirm, name="deletion-confirm"
    ),
    path("<slug:site>/gestion/agents/", register.register, name="register"),
    re_path(
        r"^(?P<site>[-\w]+)/gestion/agents/export\.(?P<fmt>csv|xlsx)$", register.register_export, name="register-export"
    ),
    path("<slug:site>/gestion/agents/<int:pk>/", register.agent_detail, name="register-detail"),
    path("<slug:site>/gestion/agents/<int:pk>/modifier/", register.agent_edit, name="register-edit"),
    path("<slug:site>/gestion/agents/<int:pk>/famille/", register.agent_family, name="register-family"),
]
