from django.urls import path

from alphasierra.mail import views

app_name = "mail"
urlpatterns = [
    path("outbox/", views.outbox_list, name="dev-outbox"),
    path("outbox/<int:pk>/", views.outbox_detail, name="dev-outbox-detail"),
]
