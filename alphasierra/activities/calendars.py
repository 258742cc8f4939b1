"""Activities as iCalendar (RFC 5545): one activity's file, and a person's
feed of their confirmed activities, at a secret address.

Times are written in the organisation's own zone (``TZID`` with its
``VTIMEZONE``): a calendar in Paris shows a Tahiti outing at the right hour,
and one in Papeete shows it at 10:00 as announced.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from alphasierra.activities.models import Activity, CalendarFeed

PRODUCT_ID = "-//Alpha Sierra//Activités//FR"
_FEED_SALT = "alphasierra.activities.calendar-feed"


def feed_token(feed: CalendarFeed) -> str:
    """The secret part of the feed's address: a keyed hash of the nonce, so
    that the database alone does not give the address."""
    return salted_hmac(_FEED_SALT, feed.nonce, secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()


def feed_matches(feed: CalendarFeed, token: str) -> bool:
    # In constant time: the comparison must not tell how much of a guess was right.
    return constant_time_compare(feed_token(feed), token)


def _event(activity: Activity, *, portal_url: str, stamp: datetime) -> icalendar.Event:
    zone = ZoneInfo(activity.organisation.time_zone)
    event = icalendar.Event()
    event.add("uid", f"activite-{activity.pk}@{portal_url.split('://')[-1].strip('/')}")
    event.add("dtstamp", stamp)
    event.add("dtstart", activity.starts_at.astimezone(zone))
    event.add("dtend", activity.ends_at.astimezone(zone))
    event.add("summary", activity.title)
    event.add("location", activity.place)
    event.add("description", activity.description)
    event.add("url", f"{portal_url.rstrip('/')}/{activity.organisation.slug}/activites/{activity.pk}/")
    if activity.state == Activity.State.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def calendar_of(activities: Iterable[Activity], *, name: str) -> bytes:
    """A calendar holding the activities (their ``organisation`` selected),
    with the definitions of the zones they name."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    portal_url = settings.PORTAL_URL
    events = [_event(activity, portal_url=portal_url, stamp=stamp) for activity in activities]
    for event in events:
        calendar.add_component(event)
    if events:
        # The zones' rules over the years the events span, not over 1970-2038.
        starts = [event.decoded("dtstart").date() for event in events]
        ends = [event.decoded("dtend").date() for event in events]
        calendar.add_missing_timezones(
            first_date=date(min(starts).year - 1, 1, 1), last_date=max(ends) + timedelta(days=366)
        )
    return calendar.to_ical()
