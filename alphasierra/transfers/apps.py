from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "alphasierra.transfers"
    verbose_name = _("Transferts entre CLAS")
