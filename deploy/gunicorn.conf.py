"""gunicorn's settings for the portal (``gunicorn -c deploy/gunicorn.conf.py
alphasierra.wsgi``), read by the systemd unit and by the tests that run the
portal as production does. The address and the number of workers come from
the command line (``-b``, ``-w``) or gunicorn's own environment variables."""

import os

# Requests are logged by the portal itself, one JSON line each with the
# request id (alphasierra.operations): gunicorn's access log would repeat them
# with the query string, where a search may carry a name.
accesslog = None
# A request the portal has not answered in this many seconds is cut short and
# its worker replaced; the reverse proxy waits a little longer (deploy/nginx).
timeout = 60
graceful_timeout = 30
# The proxy keeps its connections to the app server open between requests.
keepalive = 5
# Each worker is replaced after this many requests (with some jitter, so that
# they do not all restart at once): what a library might leak stays bounded.
max_requests = 2000
max_requests_jitter = 200


def child_exit(server: object, worker: object) -> None:
    """Prometheus' multiprocess mode keeps each worker's counters in a file
    under PROMETHEUS_MULTIPROC_DIR: a worker that is gone has its live gauges
    dropped from the sum."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


# gunicorn's own lines (a worker booted, timed out, killed) in the portal's
# format: JSON lines, as every other process writes in production, unless
# LOG_FORMAT=text (alphasierra/operations/logs.py, which imports no model).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "portal": {
            "()": "alphasierra.operations.logs."
            + ("TextFormatter" if os.environ.get("LOG_FORMAT") == "text" else "JsonFormatter")
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "portal", "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
