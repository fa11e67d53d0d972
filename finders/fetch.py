"""Reading another organisation's feed over HTTP: a timeout, a size limit, and no way in
to our own network.

The host's addresses are resolved once, checked, and the connection is made to the checked
address (so a name that resolves elsewhere a moment later cannot redirect us). Loopback,
private, link-local and other reserved addresses are refused unless
settings.FINDER_FEED_ALLOW_PRIVATE_HOSTS is on (the test suite serves feeds from
127.0.0.1). Redirects are followed a few times, each target checked again.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from peersupport.errors import DomainError

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 3
CHUNK = 64 * 1024


class FetchError(DomainError):
    """The feed could not be read; `message` says why, for the organizer."""


def url_check(url: str):
    """The parts of a feed address we may fetch, or FetchError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(_("This is not a web address we can read.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("A feed address starts with https:// (or http://)."))
    if parts.username or parts.password:
        raise FetchError(_("A feed address cannot carry a user name or password."))
    if port is not None and not 0 < port < 65536:
        raise FetchError(_("This is not a web address we can read."))
    return parts


def _allowed(address: str) -> bool:
    if settings.FINDER_FEED_ALLOW_PRIVATE_HOSTS:
        return True
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global and not ip.is_multicast


def address_for(host: str, port: int) -> str:
    """The one checked address to connect to, or FetchError."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError(_("We could not find this feed's server.")) from None
    addresses = [info[4][0] for info in found]
    if not addresses or not all(_allowed(a) for a in addresses):
        raise FetchError(_("This address points to a private network; we only read public feeds."))
    return addresses[0]


class _Pinned(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _too_big(limit: int) -> FetchError:
    size = f"{limit / 10**6:g} MB" if limit >= 10**6 else f"{limit // 1000} kB"
    return FetchError(_("The feed is larger than we read (%(size)s).") % {"size": size})


def _read(response, *, deadline: float, limit: int) -> bytes:
    """The body, chunk by chunk: each read waits at most the connection's timeout, and a
    feed that trickles in is cut off at the deadline."""
    length = response.getheader("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise _too_big(limit)
    body = bytearray()
    while True:
        if time.monotonic() >= deadline:
            raise TimeoutError
        chunk = response.read(CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise _too_big(limit)


def _get(url: str, *, deadline: float, limit: int):
    """One request: (status, location, body)."""
    parts = url_check(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = address_for(parts.hostname, port)
    kind = _PinnedTLS if https else _Pinned
    connection = kind(parts.hostname, port, address=address, timeout=deadline - time.monotonic())
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(
            "GET",
            path,
            headers={"Accept": "application/json", "User-Agent": "peersupport-meeting-finder"},
        )
        response = connection.getresponse()
        if response.status in REDIRECTS:
            return response.status, response.getheader("Location", ""), b""
        return response.status, "", _read(response, deadline=deadline, limit=limit)
    finally:
        connection.close()


def fetch(url: str) -> bytes:
    """The body of the feed at `url`, or FetchError saying what went wrong."""
    seconds = settings.FINDER_FETCH_TIMEOUT
    deadline = time.monotonic() + seconds
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            status, location, body = _get(
                url, deadline=deadline, limit=settings.FINDER_FEED_MAX_BYTES
            )
            if status in REDIRECTS and location:
                url = urljoin(url, location)
                continue
            if status != 200:
                raise FetchError(
                    _("The feed's server answered with error %(status)d.") % {"status": status}
                )
            return body
    except TimeoutError:
        raise FetchError(
            _("The feed did not arrive within %(n)d seconds.") % {"n": seconds}
        ) from None
    except (OSError, http.client.HTTPException):
        raise FetchError(_("We could not reach the feed's server.")) from None
    raise FetchError(_("The feed's address redirects too many times."))
