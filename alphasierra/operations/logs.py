"""What every process of the portal writes to its log: one JSON object per line
in production (``LOG_FORMAT=json``), plain text on a developer's terminal.

Loaded by ``settings.LOGGING`` before the apps are ready: nothing here may
import a model.

Log lines leave the portal for the operators' collector, where neither the
audit journal's access rules nor its retention apply: they must hold no
personal data. The code logs numbers (accounts, messages, tasks), never an
address, a name or a phone; what is done here is the second line of defence,
for text that no line of the portal wrote itself.
"""

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

# The id of the request being answered, for every line written meanwhile
# (set by ``request_log.RequestLogMiddleware``). Each request runs in a thread
# or a task of its own, which a context variable follows.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

# Wide on purpose: a false positive costs a masked word, a miss costs an address.
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_MASK = "[e-mail]"
# PostgreSQL's errors quote the row at fault on a line of their own
# (« DETAIL:  Key (email)=(…) already exists », « Failing row contains (…) »).
_DATABASE_DETAIL = re.compile(r"^DETAIL:.*$", re.MULTILINE)
DETAIL_MASK = "DETAIL: [masked]"

# The attributes every LogRecord has: any other one came from ``extra``.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}
# Django's ``log_response`` passes the request itself: its repr holds the path
# and the query string, never written.
_NEVER_WRITTEN = frozenset({"request"})


def scrub(text: str) -> str:
    """The text without e-mail addresses nor the database's detail of a row:
    an exception's message may quote them (a constraint that failed, a
    recipient the mail server refused)."""
    if "@" in text:
        text = _EMAIL.sub(EMAIL_MASK, text)
    if "DETAIL:" in text:
        text = _DATABASE_DETAIL.sub(DETAIL_MASK, text)
    return text


class DjangoRecordFilter(logging.Filter):
    """Django's own lines that would write what a line of the portal never does.

    Its lines about a response (``django.utils.log.log_response``: « Not Found:
    /path », « Forbidden (CSRF token missing.): /path », « Internal Server
    Error: /path ») end with the path, which may hold the key of an e-mail
    confirmation or a password reset. The request line
    (``alphasierra.requests``) says every status already: the 4xx warnings of
    ``django.request`` are dropped. The others (5xx errors, the security
    loggers' refusals) are kept, with the route in place of the path, and the
    request's id.

    The template engine's debug lines (a variable it could not resolve) quote
    the template's whole context: the request, the account, the agent shown on
    the page. They are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.template") and record.levelno < logging.WARNING:
            return False
        request = getattr(record, "request", None)
        status = getattr(record, "status_code", None)
        if request is None or not isinstance(status, int):
            return True
        if record.name == "django.request" and status < 500:
            return False
        path = str(getattr(request, "path", ""))
        # log_message escapes each argument this way before logging it.
        escaped = path.encode("unicode_escape").decode("ascii")
        if isinstance(record.args, tuple) and escaped in record.args:
            route = getattr(getattr(request, "resolver_match", None), "route", None)
            shown = "-" if route is None else route
            record.args = tuple(shown if arg == escaped else arg for arg in record.args)
        elif path and path in record.getMessage():
            record.msg, record.args = _status_phrase(status), ()
        # The base handler logs a 5xx it was returned after the middleware
        # finished: the id is read from the request then.
        if getattr(record, "request_id", None) is None:
            record.request_id = getattr(request, "request_id", None)
        return True


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(status)


def _request_id(record: logging.LogRecord) -> str | None:
    return getattr(record, "request_id", None) or current_request_id.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message,
    the request's id when written during a request, the record's extra fields
    of plain types, and the exception's traceback under "exc". JSON escapes
    line breaks: a value cannot forge a line of its own."""

    def format(self, record: logging.LogRecord) -> str:
        time = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        entry: dict[str, Any] = {
            "time": time.replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        request_id = _request_id(record)
        if request_id is not None:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRIBUTES or key in _NEVER_WRITTEN or key in entry:
                continue
            # Only plain values: another object's repr could hold anything.
            if isinstance(value, str):
                entry[key] = scrub(value)
            elif value is None or isinstance(value, bool | int | float):
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = scrub(record.exc_text)
        if record.stack_info:
            entry["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """What a developer reads on the terminal of ``make run``."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))
