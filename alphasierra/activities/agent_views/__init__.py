"""The agents' pages of the activities: each site's list and an activity's
page (``site``), « Mes inscriptions » and a request's page (``mine``), the
calendars (``calendars``)."""
