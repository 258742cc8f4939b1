"""Every log record of every logger, captured as production writes it, for
the tests of what the portal logs."""

import dataclasses
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alphasierra.operations.logs import JsonFormatter

# The fields of a request line (operations.request_log), no more: a field
# added there is a field to read for personal data first.
REQUEST_LINE_FIELDS = {
    "time",
    "level",
    "logger",
    "message",
    "request_id",
    "method",
    "route",
    "view",
    "status",
    "duration_ms",
    "user_id",
    "organisation",
}


@dataclasses.dataclass
class LogCapture:
    """What ``logs_captured`` saw: ``output``, the lines the portal's console
    handler wrote; ``written``, the same records before the formatter masked
    anything in them (what the code and the handler's filter let through)."""

    output: io.StringIO = dataclasses.field(default_factory=io.StringIO)
    written: list[str] = dataclasses.field(default_factory=list)

    def entries(self) -> list[dict[str, Any]]:
        """Each line read as JSON (a line that is not fails the test)."""
        return [json.loads(line) for line in self.output.getvalue().splitlines()]

    def requests(self) -> list[dict[str, Any]]:
        """The request lines."""
        return [entry for entry in self.entries() if entry["logger"] == "alphasierra.requests"]


class _RecordingFormatter(JsonFormatter):
    def __init__(self, capture: LogCapture) -> None:
        super().__init__()
        self.capture = capture
        self.plain = logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        extra = [f"{key}={value}" for key, value in record.__dict__.items() if key not in _RECORD_ATTRIBUTES]
        self.capture.written.append(" ".join([self.plain.format(record), *extra]))
        return super().format(record)


_RECORD_ATTRIBUTES = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request"}


@contextmanager
def logs_captured(level: int = logging.DEBUG) -> Iterator[LogCapture]:
    """Every record of every logger from ``level`` up (whatever level the
    configuration gives each logger), written as production writes it: by the
    console handler of ``settings.LOGGING``, its filter included, in JSON."""
    capture = LogCapture()
    console = logging.getHandlerByName("console")
    if not isinstance(console, logging.StreamHandler):
        raise LookupError("settings.LOGGING has no console handler")
    loggers = [logging.root, *(v for v in logging.root.manager.loggerDict.values() if isinstance(v, logging.Logger))]
    levels = [logger.level for logger in loggers]
    formatter = console.formatter
    stream = console.setStream(capture.output)
    console.setFormatter(_RecordingFormatter(capture))
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield capture
    finally:
        for logger, previous in zip(loggers, levels, strict=True):
            logger.setLevel(previous)
        console.setFormatter(formatter)
        if stream is not None:
            console.setStream(stream)
