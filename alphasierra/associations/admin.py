from django.contrib import admin

from alphasierra.accounts.admin_site import ReadOnlyAdmin
from alphasierra.associations.models import AssociationLink


@admin.register(AssociationLink)
class AssociationLinkAdmin(ReadOnlyAdmin):
    # Links are made by the agent's visit and withdrawn by the agent only.
    list_display = ["agent", "association", "state", "since"]
    list_filter = ["association", "state"]
    raw_id_fields = ["agent"]
