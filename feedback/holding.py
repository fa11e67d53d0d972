"""The holding place: anonymous answers wait here, outside the database, until released.

Why answers can't be tied to their authors (the adversary and the tests: README, "Privacy").

The adversary has a full copy of the database at any moment (as a superuser: every
table, the system columns `xmin`/`xmax`/`ctid`, sequences, physical row order, a
`pg_dump` taken whenever they like, PostgreSQL's log at its defaults) and the app's logs,
and knows who attended each meeting. The receipts (`CheckinReceipt`,
`GoalReviewReceipt`) must name people: they stop anyone answering twice. So no answer
row may share anything with its receipt but the meeting or review they belong to.

- When a member answers, the request writes the receipt to PostgreSQL and the answer to
  Redis (`hold`), in a hash per survey under a random field name, encrypted with a key
  derived from `SECRET_KEY`. Nothing about the answer is in the database yet, so nothing
  in a dump taken while the survey is open, nor any transaction id or row position, can
  be lined up with the receipt. No log line names the answer or the person.
- When the survey closes (check-ins: 7 days and 1 hour after the meeting ended; purpose
  reviews: the day after `closes_on`; anonymous suggestions: the next hourly run), beat
  takes every held answer of that survey, shuffles them with the operating system's
  random generator, and writes them in one transaction (`services.checkin_release`,
  `review_release`, `suggestions_release`). They all get one `xmin`, physical order is the
  shuffled order, the keys are random UUIDs (suggestions: ids drawn in shuffled order in
  that same transaction), and their only date is the meeting's or review's (a
  suggestion's, the day of release). The receipts were written days before, each in its
  own transaction: every receipt is equally near every answer.
- A release happens once per survey (`SurveyRelease` / `GoalReview.released`, written in
  the same transaction); a rerun after a crash finds it and only clears Redis.

Costs, stated plainly: answers show on dashboards and review results only after the
survey closes; an answer held in Redis is lost if Redis loses its data before the
release (run Redis with `appendonly yes`, as docs/deploy.md says), and if `SECRET_KEY`
changes while answers are held they cannot be read and are dropped (with a warning that
names only the survey). A survey answered by one person is linkable by anyone who knows
who answered: that is chance, and the dashboards never show such a survey on its own.
Redis itself is not part of the adversary's copy; its contents are encrypted anyway, and
its order is never used: the release shuffles.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets

import redis
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

log = logging.getLogger(__name__)

_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"peersupport held answers:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _prefix() -> str:
    # The cache's prefix keeps test runs (and sites sharing one Redis) apart.
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:held"


def _key(kind: str, survey: int) -> str:
    return f"{_prefix()}:{kind}:{survey}"


def hold(kind: str, survey: int, answer: dict) -> None:
    """Keep one answer of this survey until its release. Raises redis errors: the caller's
    transaction (with the receipt) must then roll back, so nobody is told "saved" wrongly."""
    blob = _fernet().encrypt(json.dumps(answer, sort_keys=True).encode())
    # No expiry: the release takes it; a random field name carries no order or person.
    _redis().hset(_key(kind, survey), secrets.token_hex(16), blob)


def held(kind: str, survey: int) -> list[dict]:
    """Every answer held for this survey, in no meaningful order (the caller shuffles)."""
    return _readable(kind, survey, _redis().hvals(_key(kind, survey)))


def take(kind: str, survey: int) -> list[dict]:
    """`held` and `discard` in one Redis transaction: what is taken is gone."""
    pipe = _redis().pipeline(transaction=True)
    pipe.hvals(_key(kind, survey))
    pipe.delete(_key(kind, survey))
    blobs, _deleted = pipe.execute()
    return _readable(kind, survey, blobs)


def _readable(kind: str, survey: int, blobs) -> list[dict]:
    found = []
    fernet = _fernet()
    for blob in blobs:
        try:
            found.append(json.loads(fernet.decrypt(blob)))
        except (InvalidToken, ValueError):
            log.warning("A held %s answer of survey %s could not be read; dropped.", kind, survey)
    return found


def discard(kind: str, survey: int) -> None:
    _redis().delete(_key(kind, survey))


def surveys(kind: str) -> list[int]:
    """The surveys of this kind with answers waiting (used for suggestions, which have no
    closing date of their own)."""
    start = len(_key(kind, 0)) - 1
    return sorted(int(k.decode()[start:]) for k in _redis().scan_iter(_key(kind, "*"), count=500))


def clear_all() -> None:
    """Tests: forget every held answer of this site's prefix."""
    for k in _redis().scan_iter(f"{_prefix()}:*", count=500):
        _redis().delete(k)
