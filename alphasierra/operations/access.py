"""Who may read the metrics: Prometheus, and nobody else.

The health probes are public (they say "ok" or which check fails, nothing
more); the metrics tell how busy each view is and how many registrations wait
in each CLAS, which is nobody's business outside the operations team.
"""

import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.crypto import constant_time_compare


def access_metrics(*, request: HttpRequest) -> None:
    """Allowed with ``Authorization: Bearer <METRICS_TOKEN>``, or from an
    address of ``METRICS_ALLOWED_IPS``; with neither set, refused to everyone.
    A refusal is a 404, as for a page that does not exist."""
    if not (_bears_the_token(request) or _comes_from_an_allowed_address(request)):
        raise Http404


def _bears_the_token(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    # Compared in constant time: how long the comparison takes tells nothing
    # of how much of the token was right.
    return bool(token) and scheme.lower() == "bearer" and constant_time_compare(credentials.strip(), token)


def _comes_from_an_allowed_address(request: HttpRequest) -> bool:
    # The direct peer only: X-Forwarded-For is whatever the client wrote, and
    # behind the reverse proxy every request would come from its address
    # (which must therefore never be listed).
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:  # a Unix socket, or no peer at all
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_IPS)
