from django.urls import path

from alphasierra.audit import views as audit_views
from alphasierra.organisations import views

app_name = "organisations"
urlpatterns = [
    path("<slug:site>/gestion/", views.dashboard, name="dashboard"),
]

# The national back-office, on the national site (« /gestion/… »).
national_urlpatterns = [
    path("gestion/", views.dashboard, name="national-dashboard"),
    path("gestion/roles/", views.roles, name="national-roles"),
    path("gestion/roles/attribuer/", views.role_grant_view, name="national-role-grant"),
    path("gestion/roles/<int:pk>/retirer/", views.role_revoke_view, name="national-role-revoke"),
    path("gestion/journal/", audit_views.journal, name="national-journal"),
]
