from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alphasierra.accounts.admin_site import ReadOnlyAdmin
from alphasierra.organisations.generations import public_pages_all_changed
from alphasierra.organisations.models import Organisation, Role


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "time_zone", "currency"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug", "kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The 17 sites are fixed by the communiqué and seeded by a migration.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Organisations are edited here only; every page's header names them.
        public_pages_all_changed()


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    # Roles are granted and revoked on the portal's role pages (/gestion/roles/),
    # which tell the person by e-mail and record it in the audit trail.
    list_display = ["user", "kind", "organisation", "created_at"]
    list_filter = ["kind", "organisation"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
