"""Keep sensitive values out of logs: tokens, keys and email addresses are masked."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    # query-string secrets: ?token=..., &key=..., &password=...
    (re.compile(r"(?i)\b(token|key|password|secret|signature|sig)=([^&\s\"']+)"), r"\1=[redacted]"),
    # path tokens: invitation links, one-click RSVP links, private calendar feeds, etc.
    (
        re.compile(r"/(join|rsvp|feed|unsubscribe|record|verify|confirm-email|key)/([^/\s\"'?]+)"),
        r"/\1/[redacted]",
    ),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSensitiveFilter(logging.Filter):
    """Rewrites each record's final message; it never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
