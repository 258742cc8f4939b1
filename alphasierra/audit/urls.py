from django.urls import path

from alphasierra.audit import views

# The journal, on the national site (« /gestion/journal/ »).
national_urlpatterns = [
    path("gestion/journal/", views.journal, name="national-journal"),
]
