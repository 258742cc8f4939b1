from django.urls import path, re_path

from alphasierra.associations import views

app_name = "associations"
urlpatterns = [
    path("<slug:site>/me-faire-connaitre/", views.relink, name="relink"),
    path("<slug:site>/gestion/agents-connus/", views.members, name="members"),
    re_path(r"^(?P<site>[-\w]+)/gestion/agents-connus/export\.(?P<fmt>csv|xlsx)$", views.members_export, name="export"),
    path("<slug:site>/gestion/agents-connus/<int:pk>/", views.member_detail, name="member"),
]
