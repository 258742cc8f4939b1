from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "alphasierra.accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from alphasierra.accounts import receivers, security_log  # noqa: F401 - connects the signal receivers
