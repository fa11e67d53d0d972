"""Signed tokens for links in emails, written many at a time.

`django.core.signing.dumps` makes a new signer for every token, derives its key from the
salt and `SECRET_KEY` with a hash, builds a new HMAC object, serialises the payload with
the json module and base62-encodes the time: about 11 µs a token, and a reminder carries
two (unsubscribe, "I can't make it"), so at fan-out they were a sixth of a worker's time.

`TokenSigner(salt).dumps(payload)` writes exactly what `signing.dumps(obj, salt=salt)`
writes for the same object in the same second (`tests/peersupport/test_signed.py`
compares them), so `signing.loads` reads them as before, with the same salt, key
rotation (`SECRET_KEY_FALLBACKS`) and `max_age` expiry: the format, the key and the
timestamp are Django's. What is saved is work, not security: the derived key's HMAC
state is prepared once per (key, salt) and copied for each token, the timestamp is
encoded once per second, and the caller writes the payload's JSON itself (`json_object`:
a flat object of integers and plain strings, the only kind our links carry).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from django.conf import settings
from django.core.signing import b62_encode

_SEP = ":"  # `Signer`'s separator; the algorithm is its default, SHA-256


def json_object(**fields: int | str) -> str:
    """`json.dumps(fields, separators=(",", ":"))` for integers and strings, as
    `django.core.signing.JSONSerializer` writes them."""
    return (
        "{"
        + ",".join(
            f'"{name}":{value}' if type(value) is int else f'"{name}":{json.dumps(value)}'
            for name, value in fields.items()
        )
        + "}"
    )


class TokenSigner:
    """`signing.dumps(..., salt=salt)` (no compression), with the key prepared once."""

    def __init__(self, salt: str) -> None:
        self.salt = salt
        self._secret: str | bytes | None = None
        self._prepared = None
        self._stamped = (-1, "")  # (second, its base62): one attribute, so threads agree

    def _hmac(self):
        # Read at call time: a test may override SECRET_KEY, and a new key gives a new state.
        secret = settings.SECRET_KEY
        if secret is not self._secret:
            secret_bytes = secret if isinstance(secret, bytes) else secret.encode()
            # As `django.utils.crypto.salted_hmac(self.salt + "signer", ...)`.
            key = hashlib.sha256((self.salt + "signer").encode() + secret_bytes).digest()
            self._prepared = hmac.new(key, digestmod=hashlib.sha256)
            self._secret = secret
        return self._prepared.copy()

    def dumps(self, payload: str) -> str:
        """The signed token of `payload`, a JSON text (`json_object`)."""
        now = int(time.time())
        second, stamp = self._stamped
        if second != now:
            stamp = b62_encode(now)
            self._stamped = (now, stamp)
        value = (
            base64.urlsafe_b64encode(payload.encode("latin-1")).rstrip(b"=").decode() + _SEP + stamp
        )
        mac = self._hmac()
        mac.update(value.encode())
        return value + _SEP + base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
