from django.contrib import admin

from alphasierra.agents.models import Agent, Relative


class RelativeInline(admin.TabularInline):
    model = Relative
    extra = 0


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "clas", "state", "employer", "status", "created_at"]
    list_filter = ["state", "clas", "employer", "status"]
    search_fields = ["last_name", "first_name", "user__email"]
    raw_id_fields = ["user", "decided_by"]
    # States move only through the services (sign-up, confirmation, approval).
    readonly_fields = ["state", "email_confirmed_at", "decided_at", "decided_by", "rejection_reason", "reminded_at"]
    inlines = [RelativeInline]
