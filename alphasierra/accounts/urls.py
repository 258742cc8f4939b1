from django.urls import include, path

# allauth's pages (login, logout, e-mail confirmation, password reset and
# change, sessions) live under /comptes/, on the national site, whatever site
# the person came from: one sign-on for every site.
urlpatterns = [
    path("", include("allauth.urls")),
]
