from collections.abc import Callable

from allauth.usersessions import app_settings
from django.http import HttpRequest, HttpResponse

from alphasierra.accounts.services import usersession_activity_record


class UserSessionsMiddleware:
    """allauth's ``UserSessionsMiddleware``, writing a session's activity (its
    address, browser and time last seen) only when it changed or every
    ``SESSION_ACTIVITY_EVERY``, instead of at every request of a logged-in
    person (see ``usersession_activity_record``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            app_settings.TRACK_ACTIVITY
            and hasattr(request, "session")
            and request.session.session_key
            and hasattr(request, "user")
            and request.user.is_authenticated
        ):
            usersession_activity_record(request=request)
        return self.get_response(request)
