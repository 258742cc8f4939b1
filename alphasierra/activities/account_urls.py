from django.urls import path

from alphasierra.activities.views import calendars, mine

app_name = "my-activities"
urlpatterns: list = [
    # « Mes inscriptions », across every site.
    path("inscriptions/", mine.my_registrations, name="list"),
    path("inscriptions/<int:pk>/", mine.registration_page, name="request"),
    path("inscriptions/<int:pk>/annuler/", mine.cancel, name="cancel"),
    path("inscriptions/<int:pk>/accepter/", mine.accept, name="accept"),
    path("inscriptions/<int:pk>/liberer/", mine.release, name="release"),
    path("inscriptions/calendrier/nouvelle-adresse/", calendars.feed_renew, name="feed-renew"),
    path("inscriptions/calendrier/<int:user_id>/<str:token>.ics", calendars.feed, name="feed"),
]
