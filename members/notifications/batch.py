"""Rendering a batch of fan-out emails: each variant once, the personal values per member.

A reminder's subject, text and HTML depend on the meeting, the member's language, time
zone and discreet mode, and on what the ledger row stored; only the greeting's name and
the two signed links (unsubscribe, "I can't make it") are the member's own. Rendering
three templates per message was most of a worker's CPU at fan-out, so a batch renders
each variant once with markers where the personal values go, and fills them in per
member, escaped where the template escaped the marker (the HTML) and as they are where it
did not (the text). Every member still gets their own email: their name, their links,
their language, zone and discreet mode.

Only kinds whose templates print the personal values plainly (no filter on them) may
take this path: `SHARED_RENDER_KINDS`. `tests/members/test_batch_render.py` checks that
it gives exactly what rendering the message on its own gives.
"""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from dataclasses import dataclass
from email.utils import formatdate

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members.models import Delivery, User
from members.notifications.handoff import envelope_address, hand_off
from members.notifications.message import (
    build_message,
    delivery_message,
    notification_context,
    personal_values,
)
from peersupport.language import for_email as email_language

SHARED_RENDER_KINDS = frozenset({"session_reminder", "checkin_survey"})

# The personal values, in marker order. A marker holds "&" so that the rendered text
# shows whether the template escaped it ("&amp;") or not, between control characters no
# form lets anyone type; should a stray one reach a variant anyway, that variant is
# rendered per message (`_Template.intact`).
PERSONAL = ("name", "unsubscribe_url", "cant_make_it_url")
_MARK = "\x02{}&\x03"
_FOUND = re.compile("\x02(\\d)&(amp;)?\x03")


def _marker(index: int) -> str:
    return _MARK.format(index)


class _Template:
    """One rendered text split at its markers: literal, (index, escaped), literal, ..."""

    def __init__(self, rendered: str) -> None:
        self.parts: list[str | tuple[int, bool]] = []
        position = 0
        for match in _FOUND.finditer(rendered):
            self.parts.append(rendered[position : match.start()])
            self.parts.append((int(match.group(1)), match.group(2) is not None))
            position = match.end()
        self.parts.append(rendered[position:])
        # A marker a filter changed (|upper, |truncatechars...) would be filled in wrong:
        # the variant then renders per message instead.
        self.intact = "\x02" not in "".join(p for p in self.parts if isinstance(p, str))
        self.shared = len(self.parts) == 1  # no personal value: the same for every member
        # Filled with one %-format: the literals (their "%" doubled) with "%s" between
        # them, and which of `fill`'s values goes in each (escaped ones after the plain).
        self.format = "%s".join(p.replace("%", "%%") for p in self.parts[::2])
        self.slots = tuple(i + (len(PERSONAL) if esc else 0) for i, esc in self.parts[1::2])

    def fill(self, values: list[str]) -> str:
        """`values`: the personal values in `PERSONAL` order, then the same escaped."""
        return self.format % tuple([values[slot] for slot in self.slots])


@dataclass
class _Variant:
    subject: _Template
    text: _Template
    html: _Template
    skeleton: _Skeleton | None = None  # written on first use

    @property
    def intact(self) -> bool:
        return self.subject.intact and self.text.intact and self.html.intact


def variant_key(delivery: Delivery, language: str | None = None) -> tuple:
    """Everything but the personal values that a reminder's words depend on (`language`:
    the email's, when the caller knows it)."""
    user = delivery.recipient
    return (
        delivery.kind,
        delivery.about_type_id,
        delivery.about_id,
        language or email_language(user, delivery.about),
        user.time_zone,
        user.discreet_mode,
        json.dumps(delivery.context, sort_keys=True),
    )


class BatchRenderer:
    """Builds a batch's messages; `message(delivery, address)` for each row in turn.

    `smtp`: the batch's connection. With Django's SMTP backend, messages whose variant
    could be written once are handed over as written bytes (`_Skeleton`).
    """

    def __init__(self, smtp=None) -> None:
        self.variants: dict[tuple, _Variant | None] = {}
        # The email's language depends on the member's choice and on what it is about:
        # a batch has few of each, so it is worked out once per pair.
        self.languages: dict[tuple, str] = {}
        self.sender = envelope_address(
            sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
        )
        self.writes_bytes = isinstance(smtp, SMTPBackend) and self.sender is not None

    def message(self, *, delivery: Delivery, address: str):
        if delivery.kind not in SHARED_RENDER_KINDS or delivery.attachments:
            return delivery_message(delivery=delivery, address=address)
        key = variant_key(delivery, self.language(delivery))
        if key not in self.variants:
            self.variants[key] = _render_variant(delivery)
        variant = self.variants[key]
        if variant is None:
            return delivery_message(delivery=delivery, address=address)
        personal = personal_values(delivery)
        values = [personal.get(name, "") for name in PERSONAL]
        # Then escaped, as Django's `escape` does (`html.escape`), without its lazy wrapper.
        values += [html.escape(str(value)) for value in values]
        parts = {
            "subject": variant.subject.fill(values),
            "text": variant.text.fill(values),
            "html": variant.html.fill(values),
            "unsubscribe_url": personal["unsubscribe_url"],
        }
        if self.writes_bytes and variant.subject.shared:
            if variant.skeleton is None:
                variant.skeleton = _Skeleton(parts["subject"])
            raw = variant.skeleton.fill(
                address=address,
                message_id=delivery.message_id,
                unsubscribe_url=parts["unsubscribe_url"],
                text=parts["text"],
                html=parts["html"],
            )
            if raw is not None:
                return _Prepared(self.sender, address, raw)
        return build_message(
            message_id=delivery.message_id, attachments=[], address=address, **parts
        )

    def language(self, delivery: Delivery) -> str:
        chosen = delivery.recipient.preferred_language
        pair = (chosen, delivery.about_type_id, delivery.about_id)
        if pair not in self.languages:
            self.languages[pair] = email_language(delivery.recipient, delivery.about)
        return self.languages[pair]


def _render_variant(delivery: Delivery) -> _Variant | None:
    """Render `delivery`'s templates with markers for its personal values (None when a
    template changed a marker: that variant then renders per message)."""
    user = delivery.recipient
    context = notification_context(delivery)
    # A stand-in with nothing of the member but what the variant shares: a template that
    # read anything else of the recipient would show blank, never someone else's data.
    context["recipient"] = User(
        display_name=_marker(PERSONAL.index("name")),
        preferred_language=user.preferred_language,
        time_zone=user.time_zone,
        discreet_mode=user.discreet_mode,
    )
    context["unsubscribe_url"] = _marker(PERSONAL.index("unsubscribe_url"))
    if context.get("cant_make_it_url"):
        context["cant_make_it_url"] = _marker(PERSONAL.index("cant_make_it_url"))
    kind = delivery.kind
    with (
        translation.override(email_language(user, delivery.about)),
        timezone.override(user.time_zone),
    ):
        variant = _Variant(
            subject=_Template(render_to_string(f"emails/{kind}_subject.txt", context)),
            text=_Template(render_to_string(f"emails/{kind}_body.txt", context)),
            html=_Template(render_to_string(f"emails/{kind}_body.html", context)),
        )
    return variant if variant.intact else None


# --- Writing the message ------------------------------------------------------------------
# Building a MIME message with the email package and writing it out (header folding, one
# object per part) cost as much CPU as rendering did. A variant's messages differ only in
# a few places, so Django writes the variant's message once, with stand-ins there, and each
# member's message is that text with their values put in. Where the email package would
# write a value differently from how it is put in here (a long or unusual address, a body
# line too long for 8bit), that message is built by Django in full instead.
_TO = "to-stand-in@skeleton.invalid"
_ID = "<message-id-stand-in@skeleton.invalid>"
_UNSUBSCRIBE = "unsubscribe-stand-in"
_TEXT = "text-body-stand-in"
_HTML = "html-body-stand-in"
_SIMPLE_ADDRESS = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_FOLDS_AT = re.compile("[ \t;,\r\n]")  # where the email package may fold or quote
_HEADER_WIDTH = 78  # where the email package folds a header (compat32 policy)
_LINE_LIMIT = 998  # past it Django switches a body to quoted-printable


def _header(name: str, value: str) -> bytes | None:
    """The header line as the email package writes a value with no place to fold it."""
    if not value.isascii() or _FOLDS_AT.search(value):
        return None
    if len(name) + 2 + len(value) <= _HEADER_WIDTH:
        return f"{name}: {value}".encode()
    return f"{name}: \r\n {value}".encode()


def _body(text: str) -> bytes | None:
    """A part's transfer encoding header, blank line and body, as Django writes them."""
    # Without a "\r" only "\n" can end a line: a plain replace, far cheaper than the regex.
    raw = (text.replace("\n", "\r\n") if "\r" not in text else _NEWLINE.sub("\r\n", text)).encode()
    if len(raw) > _LINE_LIMIT and max(map(len, raw.split(b"\r\n"))) > _LINE_LIMIT:
        return None
    encoding = b"7bit" if text.isascii() else b"8bit"
    return b"Content-Transfer-Encoding: " + encoding + b"\r\n\r\n" + raw


class _Skeleton:
    """A variant's whole message as Django writes it, cut where each message differs."""

    def __init__(self, subject: str) -> None:
        proto = build_message(
            message_id=_ID,
            attachments=[],
            address=_TO,
            subject=subject,
            text=_TEXT,
            html=_HTML,
            unsubscribe_url=_UNSUBSCRIBE,
        )
        proto.boundary = self.boundary = "===============" + uuid.uuid4().hex + "=="
        raw = proto.message().as_bytes(linesep="\r\n")
        date_at = raw.index(b"\r\nDate: ") + 2
        cuts = {
            "to": _header("To", _TO),
            "date": raw[date_at : raw.index(b"\r\n", date_at)],
            "id": _header("Message-ID", _ID),
            "unsubscribe": _header("List-Unsubscribe", f"<{_UNSUBSCRIBE}>"),
            "text": _body(_TEXT),
            "html": _body(_HTML),
        }
        self.pieces: list[bytes | str] = []
        self.intact = all(raw.count(cut) == 1 for cut in cuts.values())
        if not self.intact:
            return
        for name, _at in sorted(((n, raw.index(c)) for n, c in cuts.items()), key=lambda x: x[1]):
            head, raw = raw.split(cuts[name], 1)
            self.pieces += [head, name]
        self.pieces.append(raw)

    def fill(self, *, address, message_id, unsubscribe_url, text, html) -> bytes | None:
        """The member's message, or None when Django would write it differently."""
        if not _SIMPLE_ADDRESS.fullmatch(address) or self.boundary in text or self.boundary in html:
            return None
        values = {
            "to": _header("To", address),
            "date": _date_header(),
            "id": _header("Message-ID", message_id),
            "unsubscribe": _header("List-Unsubscribe", f"<{unsubscribe_url}>"),
            "text": _body(text),
            "html": _body(html),
        }
        if None in values.values():
            return None
        return b"".join([p if isinstance(p, bytes) else values[p] for p in self.pieces])


# ((second, local time?), its Date header): formatdate's text changes once a second.
_dated: tuple[tuple[int, bool], bytes] = ((-1, False), b"")


def _date_header() -> bytes:
    """`Date: ...` as Django writes it now (`formatdate` of the time, to the second)."""
    global _dated
    now = time.time()
    key = (int(now), settings.EMAIL_USE_LOCALTIME)
    if _dated[0] != key:
        _dated = (key, f"Date: {formatdate(now, localtime=key[1])}".encode())
    return _dated[1]


class _Prepared:
    """A message already written out, handed to the batch's SMTP connection with MAIL,
    RCPT and DATA pipelined where the server offers it (`handoff`)."""

    def __init__(self, sender: bytes, address: str, raw: bytes) -> None:
        self.sender, self.address, self.raw = sender, address, raw
        self.connection = None

    def send(self) -> None:
        self.connection.open()  # as Django's backend does: nothing when already open
        hand_off(self.connection.connection, self.sender, self.address, self.raw)
