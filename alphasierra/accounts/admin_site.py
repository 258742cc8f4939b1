"""The Django admin, behind the portal's own login: its password-only login
form is replaced by allauth's (rate limits, second factor), and only a staff
session that passed the second factor is let in."""

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from alphasierra.accounts.second_factor import second_factor_passed, second_factor_step


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_passed(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not second_factor_passed(request):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect(second_factor_step(request, next_url))
        # Anonymous: to allauth's login, then back; logged in without the
        # admin flag: 403. Django's own password form is never processed.
        return secure_admin_login(super().login)(request, extra_context)


class ReadOnlyAdminMixin:
    """Personal data and the records about it are read, never written, in the
    Django admin: a change there would skip the services (audit trail, the
    register's search text, the e-mails to the person, the state machine)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST) -> dict[str, Any]:
        # An action without declared permissions (allauth's « mark as
        # verified ») would be offered to anyone who can read the list.
        return {}


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass
