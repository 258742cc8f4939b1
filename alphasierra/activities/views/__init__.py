"""The activities' pages, one module per audience and job: ``site`` (each
site's list and an activity's page with the household's request), ``mine``
(« Mes inscriptions » and a request's page), ``calendars``, ``manage`` and
``households`` (the managers' back-office). No re-exports."""
