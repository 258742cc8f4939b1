from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "alphasierra.activities"
    verbose_name = _("activités")

    def ready(self) -> None:
        from alphasierra.activities import receivers  # noqa: F401 - connects the signal receivers
