"""Running the portal: health and readiness for the load balancer, metrics for
Prometheus, one log line per request, backups and restores.

It sits with the site layer: its readings (registrations waiting per CLAS, the
outbox) come from the domain and base apps below it."""
