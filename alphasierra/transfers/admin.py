from django.contrib import admin

from alphasierra.accounts.admin_site import ReadOnlyAdmin
from alphasierra.transfers.models import Transfer


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    # States move only through the services.
    list_display = ["agent", "origin", "destination", "state", "created_at"]
    list_filter = ["state", "destination"]
    raw_id_fields = ["agent", "decided_by"]
