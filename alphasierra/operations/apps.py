from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "alphasierra.operations"
    verbose_name = _("Exploitation")

    def ready(self) -> None:
        from alphasierra.operations import receivers  # noqa: F401 - connects the signal receivers
