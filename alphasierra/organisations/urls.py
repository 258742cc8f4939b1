from django.urls import path

from alphasierra.organisations import views

# The national administrators' pages over roles, on the national site
# (« /gestion/roles/… »); the dashboards are the site layer's (pages.urls).
national_urlpatterns = [
    path("gestion/roles/", views.roles, name="national-roles"),
    path("gestion/roles/attribuer/", views.role_grant_view, name="national-role-grant"),
    path("gestion/roles/<int:pk>/retirer/", views.role_revoke_view, name="national-role-revoke"),
]
