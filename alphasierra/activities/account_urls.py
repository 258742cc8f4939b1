from django.urls import path

from alphasierra.activities.agent_views import calendars as agent_calendars
from alphasierra.activities.agent_views import mine

app_name = "my-activities"
urlpatterns: list = [
    # « Mes inscriptions », across every site.
    path("inscriptions/", mine.my_registrations, name="list"),
    path("inscriptions/<int:pk>/", mine.registration_page, name="request"),
    path("inscriptions/<int:pk>/annuler/", mine.cancel, name="cancel"),
    path("inscriptions/<int:pk>/accepter/", mine.accept, name="accept"),
    path("inscriptions/<int:pk>/liberer/", mine.release, name="release"),
    path("inscriptions/calendrier/nouvelle-adresse/", agent_calendars.feed_renew, name="feed-renew"),
    path("inscriptions/calendrier/<int:user_id>/<str:token>.ics", agent_calendars.feed, name="feed"),
]
