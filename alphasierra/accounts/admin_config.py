from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin with the portal's login and second factor (see ``admin_site``)."""

    default_site = "alphasierra.accounts.admin_site.PortalAdminSite"
