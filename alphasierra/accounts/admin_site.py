"""The Django admin, behind the portal's own login: its password-only login
form is replaced by allauth's (rate limits, second factor), and only a staff
session that passed the second factor is let in."""

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
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
        return secure_admin_login(super().login)(request, extra_context)  # type: ignore[no-any-return]

