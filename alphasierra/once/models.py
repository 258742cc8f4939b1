from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SpentFormToken(models.Model):
    """The one-time token of a form whose submission was carried out.

    The token is the primary key: a second submission of the same rendered
    form cannot insert it again, whichever app server it reaches.
    """

    token = models.CharField(_("jeton"), max_length=64, primary_key=True)
    spent_at = models.DateTimeField(_("date d'envoi"), default=timezone.now, db_index=True)
    # Where the first submission led: a repeated one is sent there too.
    location = models.CharField(_("page suivante"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("envoi de formulaire")
        verbose_name_plural = _("envois de formulaires")

    def __str__(self) -> str:
        return self.token
