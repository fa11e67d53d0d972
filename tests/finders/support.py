"""A small world for meeting finders: groups that must be published and groups that must
never leak, each with private details an attacker would look for."""

from __future__ import annotations

import contextlib
import datetime
import http.server
import threading
from dataclasses import dataclass

from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
)

# Every private detail of the fixture: none may appear anywhere in a feed or the finder.
SECRETS = [
    "Room 9, Private Lane Centre",
    "https://meet.jit.si/never-published-link",
    "Hiddenhouse",  # a facilitator's last name
    "Unlisted Circle",
    "Private Circle",
    "Not Opted Circle",
    "Quiet Org Circle",
    "Paused Circle",
    "Private Lane",
    "meet.jit.si",
    "secret-room",
]


@dataclass
class FinderWorld:
    organisation: object
    listed: object
    online: object
    monthly: object
    street: object


def build_finder_world() -> FinderWorld:
    org = OrganisationFactory(
        name="Harbour Finder Network", slug="harbour-finder", list_in_finders=True
    )
    quiet_org = OrganisationFactory(name="Quiet Org", slug="quiet-org")
    secret = {"place": "Room 9, Private Lane Centre", "online_link": SECRETS[1]}
    listed = PeerGroupFactory(
        organisation=org,
        name="Thursday Listening Circle",
        slug="thursday-listening",
        format="hybrid",
        city="Leeds",
        meeting_day=3,
        meeting_time=datetime.time(19, 0),
        duration_minutes=90,
        frequency="weekly",
        join_policy="open",
        language="en",
        other_languages=["fr"],
        access_features=["step_free", "hearing_loop", "sign_language"],
        topics=["anxiety", "newcomers"],
        list_in_finders=True,
        **secret,
    )
    online = PeerGroupFactory(
        organisation=org,
        name="Men Talking Online",
        slug="men-talking-online",
        format="online",
        city="",
        meeting_day=1,
        meeting_time=datetime.time(20, 0),
        frequency="biweekly",
        topics=["men"],
        list_in_finders=True,
        online_link=SECRETS[1],
        place="",
    )
    monthly = PeerGroupFactory(
        organisation=org,
        name="Monthly Grief Circle",
        format="in_person",
        city="Southampton",
        frequency="monthly",
        meeting_day=5,
        meeting_time=datetime.time(10, 30),
        list_in_finders=True,
        **secret,
    )
    street = PeerGroupFactory(
        organisation=org,
        name="Library Circle",
        format="in_person",
        city="Portsmouth",
        address_precision="street",
        street_address="2 Church Lane",
        list_in_finders=True,
        meeting_day=0,
        meeting_time=datetime.time(23, 30),
        duration_minutes=60,
        **secret,
    )
    # Groups that must never be published, whatever they ask for.
    PeerGroupFactory(
        organisation=org, name="Unlisted Circle", visibility="unlisted", list_in_finders=True
    )
    PeerGroupFactory(
        organisation=org, name="Private Circle", visibility="private", list_in_finders=True
    )
    PeerGroupFactory(organisation=org, name="Not Opted Circle", list_in_finders=False)
    PeerGroupFactory(organisation=quiet_org, name="Quiet Org Circle", list_in_finders=True)
    PeerGroupFactory(organisation=org, name="Paused Circle", status="paused", list_in_finders=True)
    facilitator = UserFactory(display_name="Alice", full_name="Alice Hiddenhouse")
    for group in (listed, online, monthly, street):
        MembershipFactory(group=group, user=facilitator, role="facilitator")
    return FinderWorld(org, listed, online, monthly, street)


class FeedServer:
    """A local HTTP server in the test process serving feeds by path: (status, body, delay)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, float]] = {}
        routes = self.routes

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, body, delay = routes.get(self.path, (404, b"", 0))
                if delay:
                    threading.Event().wait(delay)
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", body.decode())
                    body = b""
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def serve(self, path: str, body: bytes, *, status: int = 200, delay: float = 0) -> str:
        self.routes[path] = (status, body, delay)
        return self.url(path)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
