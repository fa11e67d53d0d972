"""Handing one written message for one recipient to an open SMTP connection.

smtplib's `sendmail` waits for the answer to each of MAIL, RCPT and DATA before sending
the next: four round trips per message, each a wait for the server and a wake-up. Where
the server offers PIPELINING (RFC 2920, as production relays do), MAIL, RCPT and DATA go
in one write and their three answers are read together: two round trips. Where it does
not, the commands go one at a time, as smtplib sends them. Either way the answers are
read with smtplib's own reply parser and turned into smtplib's own exceptions, so a
refusal is classified exactly as before (5xx for the recipient: bounced; 4xx: retried;
a lost connection: retried on a new one).
"""

from __future__ import annotations

import contextlib
import re
import smtplib

_CRLF = b"\r\n"
_PERIOD_AT_LINE_START = re.compile(rb"(?m)^\.")


def envelope_address(address: str) -> bytes | None:
    """`<address>` as smtplib's `quoteaddr` writes it, for a sender read once per batch;
    None for an address that is not plain ASCII (then Django's backend sends)."""
    quoted = smtplib.quoteaddr(address)
    return quoted.encode() if quoted.isascii() else None


def hand_off(smtp: smtplib.SMTP, sender: bytes, recipient: str, raw: bytes) -> None:
    """Send `raw` from `sender` (`envelope_address`) to `recipient` (a plain ASCII
    address); raises what smtplib's `sendmail` raises for the same answers."""
    smtp.ehlo_or_helo_if_needed()
    size = b" size=%d" % len(raw) if smtp.has_extn("size") else b""
    commands = [
        b"MAIL FROM:" + sender + size + _CRLF,
        b"RCPT TO:<" + recipient.encode("ascii") + b">" + _CRLF,
        b"DATA" + _CRLF,
    ]
    if smtp.has_extn("pipelining"):
        smtp.send(b"".join(commands))
        replies = [smtp.getreply() for _ in commands]
    else:
        replies = []
        for command in commands:
            smtp.send(command)
            replies.append(smtp.getreply())
            if replies[-1][0] not in (250, 251, 354):
                break  # as smtplib: nothing more is sent after a refusal
    _check_envelope(smtp, replies, sender, recipient)
    # Most messages have no line starting with "." to double: a search finds that faster.
    stuff = raw.startswith(b".") or b"\n." in raw
    body = _PERIOD_AT_LINE_START.sub(b"..", raw) if stuff else raw
    if not body.endswith(_CRLF):
        body += _CRLF
    smtp.send(body + b"." + _CRLF)
    code, text = smtp.getreply()
    if code != 250:
        _give_up(smtp, code)
        raise smtplib.SMTPDataError(code, text)


def _check_envelope(smtp, replies: list[tuple[int, bytes]], sender: bytes, recipient: str):
    """Raise as smtplib would for the first refused command; with every command
    pipelined, the server's answers to the commands after it are read first."""
    mail, rcpt, data = (replies + [(None, b"")] * 3)[:3]
    if data[0] == 354 and (mail[0] != 250 or rcpt[0] not in (250, 251)):
        # A server that opened DATA with no recipient: end the empty message it expects.
        smtp.send(b"." + _CRLF)
        smtp.getreply()
    if mail[0] != 250:
        _give_up(smtp, mail[0])
        raise smtplib.SMTPSenderRefused(mail[0], mail[1], sender.decode("ascii"))
    if rcpt[0] not in (250, 251):
        _give_up(smtp, rcpt[0])
        raise smtplib.SMTPRecipientsRefused({recipient: rcpt})
    if data[0] != 354:
        _give_up(smtp, data[0])
        raise smtplib.SMTPDataError(data[0], data[1])


def _give_up(smtp: smtplib.SMTP, code: int | None) -> None:
    """As smtplib: a server closing (421) is left; otherwise reset the transaction."""
    if code == 421:
        smtp.close()
    else:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            smtp.rset()
