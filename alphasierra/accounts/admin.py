from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.usersessions.admin import UserSessionAdmin as BaseUserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from alphasierra.accounts.admin_site import ReadOnlyAdminMixin
from alphasierra.accounts.forms import UserChangeAdminForm, UserCreationAdminForm
from alphasierra.accounts.models import User


@admin.register(User)
class UserAdmin(ReadOnlyAdminMixin, BaseUserAdmin):
    # Read-only: e-mail, password and second factor change through allauth's
    # pages, which ask for the password again, tell the person and audit it.
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "date_joined"]
    search_fields = ["email"]
    list_filter = ["is_active", "is_staff"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


# allauth's own models (addresses, second factors, sessions) are personal data
# too: their admin pages stay, read-only.
admin.site.unregister([EmailAddress, Authenticator, UserSession])


@admin.register(EmailAddress)
class EmailAddressAdmin(ReadOnlyAdminMixin, BaseEmailAddressAdmin):
    pass


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdminMixin, BaseAuthenticatorAdmin):
    # The TOTP secret and recovery codes are never shown, even to a superuser.
    exclude = ["data"]


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdminMixin, BaseUserSessionAdmin):
    exclude = ["data"]
