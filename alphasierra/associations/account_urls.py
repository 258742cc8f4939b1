from django.urls import path

from alphasierra.associations import views

# From « Mon compte » (/comptes/mon-compte/), an agent withdraws an association's access.
urlpatterns = [
    path(
        "mon-compte/associations/<slug:slug>/retirer/",
        views.withdraw,
        name="association-withdraw",
    ),
]
