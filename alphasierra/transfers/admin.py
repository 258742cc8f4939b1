from django.contrib import admin

from alphasierra.transfers.models import Transfer


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ["agent", "origin", "destination", "state", "created_at"]
    list_filter = ["state", "destination"]
    raw_id_fields = ["agent", "decided_by"]
    # States move only through the services.
    readonly_fields = ["state", "decided_at", "decided_by", "refusal_reason"]
