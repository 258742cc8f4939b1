"""Times as people overseas read them.

A date and time is shown in the time zone of the organisation whose page it
is (or, on the account pages and in e-mails, of the person's own CLAS), and
the zone is named whenever it is not Paris time: an agent in Nouméa must not
wonder whether « 17:05 » is theirs or the capital's.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alphasierra.accounts.models import User
from alphasierra.organisations.models import Organisation

PARIS = "Europe/Paris"
# « 28 novembre 2026 à 17:05 » (a format of Django's date filter).
MOMENT_FORMAT = gettext_lazy("j F Y à H:i")

# The zones of the overseas CLAS and of the territories their agents live in,
# named as people there say it. Any other zone is named by its UTC offset.
ZONE_NAMES = {
    "Pacific/Noumea": gettext_lazy("heure de Nouméa"),
    "Pacific/Tahiti": gettext_lazy("heure de Papeete"),
    "Pacific/Wallis": gettext_lazy("heure de Wallis-et-Futuna"),
    "America/Martinique": gettext_lazy("heure des Antilles"),
    "America/Guadeloupe": gettext_lazy("heure des Antilles"),
    "America/Cayenne": gettext_lazy("heure de Cayenne"),
    "America/Miquelon": gettext_lazy("heure de Saint-Pierre-et-Miquelon"),
    "Indian/Reunion": gettext_lazy("heure de La Réunion"),
    "Indian/Mayotte": gettext_lazy("heure de Mayotte"),
}


def zone_name(zone: str, moment: datetime) -> str:
    """« heure de Nouméa », or « heure locale, UTC+05:30 » for a zone without a name here."""
    if zone in ZONE_NAMES:
        return str(ZONE_NAMES[zone])
    offset = timezone.localtime(moment).strftime("%z")  # +0530
    hours, minutes = offset[:3], offset[3:]
    return _("heure locale, UTC%(offset)s") % {"offset": hours if minutes == "00" else f"{hours}:{minutes}"}


def moment_format(value: datetime, fmt: str = "") -> str:
    """``value`` in the active zone, followed by the zone's name unless it is Paris time."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = date_format(local, fmt or str(MOMENT_FORMAT))
    zone = timezone.get_current_timezone_name()
    if zone == PARIS or not timezone.is_aware(value):
        return text
    return f"{text} ({zone_name(zone, value)})"


def time_zone_for(*, user: "User | AnonymousUser | None" = None, email: str = "") -> str:
    """The zone a person reads times in: their CLAS's; for staff without an
    agent record, the zone of an organisation they work for; Paris otherwise."""
    if user is not None:
        if not user.is_authenticated:
            return settings.TIME_ZONE
        mine = Q(agents__user=user)
        theirs = Q(roles__user=user)
    elif email:
        account = User.objects.with_email(email)
        mine = Q(agents__user__in=account)
        theirs = Q(roles__user__in=account)
    else:
        return settings.TIME_ZONE
    # The reverse relation "agents" keeps this layer free of the agents app.
    zones = Organisation.objects.values_list("time_zone", flat=True)
    return (
        zones.filter(mine).first()
        or zones.filter(theirs).exclude(kind=Organisation.Kind.NATIONAL).order_by("position").first()
        or settings.TIME_ZONE
    )
