from django.urls import path

from alphasierra.pages import backoffice, views

app_name = "pages"
urlpatterns = [
    path("", views.national_home, name="national-home"),
    path("<slug:site>/", views.home, name="home"),
    path("<slug:site>/gestion/", backoffice.dashboard, name="dashboard"),
]

# The national back-office's dashboard (« /gestion/ »), on the national site.
national_urlpatterns = [
    path("gestion/", backoffice.dashboard, name="national-dashboard"),
]
