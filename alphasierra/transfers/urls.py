from django.urls import path

from alphasierra.transfers import views

app_name = "transfers"
urlpatterns = [
    path("<slug:site>/transfert/", views.request_transfer, name="request"),
    path("<slug:site>/transfert/<int:pk>/annuler/", views.cancel_transfer, name="cancel"),
    path("<slug:site>/gestion/transferts/", views.queue, name="queue"),
    path("<slug:site>/gestion/transferts/<int:pk>/", views.detail, name="detail"),
    path("<slug:site>/gestion/transferts/<int:pk>/accepter/", views.accept, name="accept"),
    path("<slug:site>/gestion/transferts/<int:pk>/refuser/", views.refuse, name="refuse"),
]
