from django.urls import path

from alphasierra.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.national_home, name="national-home"),
    path("<slug:site>/", views.home, name="home"),
]
