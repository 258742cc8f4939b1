from django.urls import path, re_path

from alphasierra.activities.views import households, manage, site

app_name = "activities"
urlpatterns: list = [
    # The agents' pages of each CLAS and association site.
    path("<slug:site>/activites/", site.activity_list, name="list"),
    path("<slug:site>/activites/<int:pk>/", site.activity_detail, name="detail"),
    path("<slug:site>/activites/<int:pk>/calendrier.ics", site.activity_calendar, name="calendar"),
    # The managers' back-office.
    path("<slug:site>/gestion/activites/", manage.activity_list, name="manage-list"),
    path("<slug:site>/gestion/activites/nouvelle/", manage.activity_new, name="manage-new"),
    path("<slug:site>/gestion/activites/<int:pk>/", manage.activity_detail, name="manage-detail"),
    path("<slug:site>/gestion/activites/<int:pk>/modifier/", manage.activity_edit, name="manage-edit"),
    path("<slug:site>/gestion/activites/<int:pk>/dupliquer/", manage.activity_copy, name="manage-duplicate"),
    path("<slug:site>/gestion/activites/<int:pk>/publier/", manage.activity_open, name="manage-publish"),
    path("<slug:site>/gestion/activites/<int:pk>/clore/", manage.activity_end_registrations, name="manage-close"),
    path("<slug:site>/gestion/activites/<int:pk>/annuler/", manage.activity_call_off, name="manage-cancel"),
    path("<slug:site>/gestion/activites/<int:pk>/ajouter/", households.household_add, name="manage-add"),
    path("<slug:site>/gestion/activites/<int:pk>/emargement/", households.activity_signin_sheet, name="manage-signin"),
    re_path(
        r"^(?P<site>[-\w]+)/gestion/activites/(?P<pk>[0-9]+)/participants\.(?P<fmt>csv|xlsx)$",
        households.activity_export,
        name="manage-export",
    ),
    path("<slug:site>/gestion/activites/demandes/<int:pk>/retirer/", households.household_remove, name="manage-remove"),
]
