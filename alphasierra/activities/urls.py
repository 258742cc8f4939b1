from django.urls import path

from alphasierra.activities.agent_views import site as agent_site

app_name = "activities"
urlpatterns: list = [
    # The agents' pages of each CLAS and association site.
    path("<slug:site>/activites/", agent_site.activity_list, name="list"),
    path("<slug:site>/activites/<int:pk>/", agent_site.activity_detail, name="detail"),
    path("<slug:site>/activites/<int:pk>/calendrier.ics", agent_site.activity_calendar, name="calendar"),
]
