from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "alphasierra.content"
    verbose_name = _("contenu des sites")
