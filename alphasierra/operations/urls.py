"""Included at the root of the URLconf (``alphasierra.urls``), whose paths
``middleware.OperationsMiddleware`` answers as they are written here."""

from django.urls import URLPattern, path

from alphasierra.operations import views

app_name = "operations"

urlpatterns: list[URLPattern] = [
    path("health/live/", views.live, name="live"),
    path("health/ready/", views.ready, name="ready"),
    path("metrics/", views.metrics, name="metrics"),
]
