from django.contrib import admin

from alphasierra.accounts.admin_site import ReadOnlyAdmin
from alphasierra.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    # Append-only: the admin can read the trail, never change it.
    list_display = ["created_at", "action", "actor", "organisation", "subject"]
    list_filter = ["action", "organisation"]
    search_fields = ["action", "actor__email", "subject__email"]
    date_hierarchy = "created_at"
