from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgentsConfig(AppConfig):
    name = "alphasierra.agents"
    verbose_name = _("Agents")

    def ready(self) -> None:
        from alphasierra.agents import receivers  # noqa: F401 - connects the signal receivers
