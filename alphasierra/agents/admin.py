from django.contrib import admin

from alphasierra.accounts.admin_site import ReadOnlyAdmin, ReadOnlyAdminMixin
from alphasierra.agents.models import Agent, Relative


class RelativeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Relative
    extra = 0


@admin.register(Agent)
class AgentAdmin(ReadOnlyAdmin):
    # Read-only: agents are corrected in the register, which audits each change.
    list_display = ["last_name", "first_name", "clas", "state", "employer", "status", "created_at"]
    list_filter = ["state", "clas", "employer", "status"]
    search_fields = ["last_name", "first_name", "user__email"]
    raw_id_fields = ["user", "decided_by"]
    inlines = [RelativeInline]
