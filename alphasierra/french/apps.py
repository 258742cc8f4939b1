from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrenchConfig(AppConfig):
    name = "alphasierra.french"
    verbose_name = _("Français")
