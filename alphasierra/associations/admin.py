from django.contrib import admin

from alphasierra.associations.models import AssociationLink


@admin.register(AssociationLink)
class AssociationLinkAdmin(admin.ModelAdmin):
    list_display = ["agent", "association", "state", "since"]
    list_filter = ["association", "state"]
    raw_id_fields = ["agent"]
    readonly_fields = ["state", "first_visit_at", "since", "withdrawn_at"]
