"""The live server of the browser tests, on SQLite.

The test database is in memory there, and every thread of Django's live
server shares its one connection: two requests at once would mix their
transactions, a double click's second submission seeing the first one's
uncommitted rows (``once``'s token spent, not yet given back). On a database
file, or PostgreSQL, each request has its own connection and waits for the
other's lock. So on SQLite the live server runs one request at a time."""

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.servers.basehttp import ThreadedWSGIServer

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """Django's threaded live server, its requests taking turns. Connections
    still have a thread each: a browser's idle connection (one it opened
    ahead, or kept alive) must not keep the others waiting."""

    def set_app(self, application: "WSGIApplication | None") -> None:
        assert application is not None
        turn = threading.Lock()

        def one_at_a_time(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
            with turn:
                return application(environ, start_response)

        super().set_app(one_at_a_time)
