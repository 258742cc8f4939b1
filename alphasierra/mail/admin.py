from django.contrib import admin

from alphasierra.accounts.admin_site import ReadOnlyAdmin
from alphasierra.mail.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    # The outbox is a record of what was owed and sent: nobody edits it.
    list_display = ["created_at", "to_email", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "organisation"]
    search_fields = ["to_email", "subject", "message_id"]
    date_hierarchy = "created_at"
