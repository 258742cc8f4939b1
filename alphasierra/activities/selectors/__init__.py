"""The activities' reads: ``registrations`` (a request's position, an agent's
requests across sites, an activity's roster), ``listing`` (what each site's
list shows a person). No re-exports."""
