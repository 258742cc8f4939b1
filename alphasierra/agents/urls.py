from django.urls import path

from alphasierra.agents import views

app_name = "agents"
urlpatterns = [
    path("<slug:site>/inscription/", views.signup, name="signup"),
    path("<slug:site>/inscription/envoyee/", views.signup_sent, name="signup-sent"),
    path("<slug:site>/inscription/renvoyer/", views.signup_resend, name="signup-resend"),
    path("<slug:site>/gestion/inscriptions/", views.requests, name="requests"),
    path("<slug:site>/gestion/inscriptions/<int:pk>/", views.request_detail, name="request-detail"),
    path("<slug:site>/gestion/inscriptions/<int:pk>/valider/", views.request_approve, name="request-approve"),
    path("<slug:site>/gestion/inscriptions/<int:pk>/refuser/", views.request_reject, name="request-reject"),
]
