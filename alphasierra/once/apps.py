from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnceConfig(AppConfig):
    name = "alphasierra.once"
    verbose_name = _("Envois de formulaires")
