from django.contrib import admin
from django.http import HttpRequest

from alphasierra.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "organisation", "subject"]
    list_filter = ["action", "organisation"]
    search_fields = ["action", "actor__email", "subject__email"]
    date_hierarchy = "created_at"

    # Append-only: the admin can read the trail, never change it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
