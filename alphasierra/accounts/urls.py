from django.urls import path

from alphasierra.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.login, name="login"),
]
