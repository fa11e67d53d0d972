"""Anonymous answers cannot be tied to their authors: the attack, as an adversary runs it.

The adversary (README, "Privacy") holds a full copy of the database at any moment, as a
superuser (system columns xmin and ctid, sequences, physical order, every table), the
PostgreSQL log at its defaults and the app's logs, and knows who attended. Members answer
through the real views, each request committing on its own (transactional database), with
answers whose content tells us, and only us, who gave them. Then every linking technique
we know is tried, before and after the survey closes, and none may do better than a
random guess (a random pairing of n answers with n receipts gets 1 right on average).

Guards against passing by accident: each technique is first shown to work where the
data is linked (the receipts' own insertion order is their physical order, so writing
answers in answer order would be caught); the structural facts that make the techniques
fail are asserted directly (one transaction id for the whole batch, no time column,
random version-4 keys); and order-based guesses are added up over several meetings, each
shuffled independently, with a bound a linked table would blow through and a random one
passes but for odds of about one in a million.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from feedback import holding, services
from feedback.models import CheckinResponse, GoalReview, GoalReviewResponse, Suggestion
from tests.factories import MembershipFactory, OrganisationFactory, PeerGroupFactory
from tests.feedback.conftest import past_meeting_for

pytestmark = pytest.mark.django_db(transaction=True)

MEETINGS = 5
PEOPLE = 8
# Answers guessed right by an order (xmin, ctid, id) summed over MEETINGS x PEOPLE: a
# random order expects MEETINGS (about Poisson(5)); a linked one gets 40. P(> 20) ~ 1e-6.
BOUND = 20


def _sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _everything_in_the_database() -> str:
    """What a pg_dump would hold, as text: every row of every table of ours."""
    tables = connection.introspection.table_names()
    dumped = []
    for table in tables:
        rows = _sql(f'SELECT t::text FROM "{table}" t')  # noqa: S608 - names from the catalogue
        dumped.extend(row[0] for row in rows)
    return "\n".join(dumped)


def _tid(ctid: str) -> tuple[int, int]:
    page, item = ctid.strip("()").split(",")
    return int(page), int(item)


def _rank_matches(truth: list[str], guess: list[str]) -> int:
    """How many positions a guess (answers paired with receipts by rank) gets right."""
    return sum(a == b for a, b in zip(truth, guess, strict=True))


@pytest.fixture
def attended(db):
    """MEETINGS past meetings of one group, each attended by the same PEOPLE members."""
    group = PeerGroupFactory(organisation=OrganisationFactory())
    people = [MembershipFactory(group=group).user for _ in range(PEOPLE)]
    meetings = [past_meeting_for(group, present=people, hours_ago=2 + m) for m in range(MEETINGS)]
    return group, people, meetings


def test_checkin_answers_cannot_be_linked_to_receipts_before_or_after_release(
    client, attended, caplog
):
    _group, people, meetings = attended
    caplog.set_level(logging.DEBUG)
    truth: dict[str, int] = {}  # the answer's secret marker -> its author (ours alone)
    for meeting in meetings:
        for person in people:
            marker = f"marker-{secrets.token_hex(6)}"
            truth[marker] = person.pk
            client.force_login(person)
            response = client.post(
                reverse("feedback:checkin", args=[meeting.pk]),
                {
                    "version": 1,
                    "rating_heard": secrets.randbelow(11),
                    "rating_mattered": 5,
                    "rating_method": 5,
                    "rating_overall": 5,
                    "mood_before": 3,
                    "mood_after": 4,
                    "comment": marker,
                },
            )
            assert response.status_code == 302  # accepted
    receipts = _sql(
        "SELECT meeting_id, member_id, xmin::text::bigint, ctid::text "
        "FROM feedback_checkinreceipt ORDER BY xmin::text::bigint"
    )
    assert len(receipts) == MEETINGS * PEOPLE

    # --- While the surveys are open: no answer is anywhere in the database -------------
    dump = _everything_in_the_database()
    assert not any(marker in dump for marker in truth)
    assert not CheckinResponse.objects.exists()
    # ... nor in the app's log lines, nor readable in the holding place itself.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(marker in logged for marker in truth)
    held_raw = b"".join(
        blob for m in meetings for blob in holding._redis().hvals(holding._key("checkin", m.pk))
    )
    assert held_raw and not any(marker.encode() in held_raw for marker in truth)
    # The control: ranking by transaction id or by physical position does line receipts
    # up with the order people answered in. So answer rows written that way would be caught.
    by_xmin = [(r[0], r[1]) for r in receipts]
    by_ctid = [(r[0], r[1]) for r in sorted(receipts, key=lambda r: _tid(r[3]))]
    assert by_xmin == by_ctid

    # --- The windows close; beat releases each survey --------------------------------
    caplog.clear()
    later = max(m.ends_at for m in meetings) + datetime.timedelta(days=7, hours=2)
    assert services.checkin_release_due(now=later) == MEETINGS * PEOPLE
    answers = _sql(
        "SELECT id::text, meeting_id, comment, xmin::text::bigint, xmax::text, ctid::text "
        "FROM feedback_checkinresponse"
    )
    assert sorted(a[2] for a in answers) == sorted(truth)

    # Transaction ids: each meeting's answers share one, written after every receipt, so
    # "receipt.xmin + 1 = answer.xmin" (the attack that used to name 6 of 6) finds nothing.
    receipt_xmins = {r[2] for r in receipts}
    for meeting in meetings:
        mine = [a for a in answers if a[1] == meeting.pk]
        assert len({a[3] for a in mine}) == 1
    assert not receipt_xmins & {a[3] for a in answers}
    assert min(a[3] for a in answers) > max(receipt_xmins)
    for xmin in receipt_xmins:
        # The nearest transaction id after a receipt's is a whole batch (the first release
        # follows the last answer given) or no answer at all: never one answer.
        narrowed = [a for a in answers if a[3] in (xmin + 1, xmin + 2)]
        assert len(narrowed) in (0, PEOPLE)
    assert {a[4] for a in answers} == {"0"}  # never updated: no second version to compare

    # No time of answering anywhere in the row, and no key that carries an order.
    columns = connection.introspection.get_table_description(
        connection.cursor(), CheckinResponse._meta.db_table
    )
    assert not [c.name for c in columns if c.type_code in (1114, 1184, 1083)]  # timestamps
    assert {uuid.UUID(a[0]).version for a in answers} == {4}
    assert {r.meeting_date for r in CheckinResponse.objects.all()} <= {
        timezone.localtime(m.starts_at).date() for m in meetings
    }
    # track_commit_timestamp is off at PostgreSQL's defaults: no commit time to read.
    assert _sql("SHOW track_commit_timestamp") == [("off",)]

    # Orders: pair each meeting's answers with its receipts by rank of xmin, physical
    # position and key; count the right guesses over all meetings.
    right = {"ctid": 0, "id": 0, "xmin": 0}
    for meeting in meetings:
        authors = [r[1] for r in receipts if r[0] == meeting.pk]  # answer order
        mine = [a for a in answers if a[1] == meeting.pk]
        for technique, key in (
            ("ctid", lambda a: _tid(a[5])),
            ("id", lambda a: a[0]),
            ("xmin", lambda a: (a[3], _tid(a[5]))),
        ):
            guess = [truth[a[2]] for a in sorted(mine, key=key)]
            right[technique] += _rank_matches(authors, guess)
    assert all(n <= BOUND for n in right.values()), right

    # Any value an answer shares with a receipt, other than its meeting (and positions,
    # which every table numbers from (0,1)): none.
    receipt_values = {str(v) for r in receipts for v in (r[1], r[2])}
    receipt_values |= {row[0] for row in _sql("SELECT id::text FROM feedback_checkinreceipt")}
    for a in answers:
        assert not {a[0], a[2], str(a[3])} & receipt_values

    # The release's log lines name nobody and no answer.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(marker in logged for marker in truth)
    assert not any(p.email in logged or p.display_name in logged for p in people)


def test_review_answers_are_held_then_written_in_one_shuffled_batch(client, attended):
    group, people, _meetings = attended
    opened = timezone.localdate() - datetime.timedelta(days=2)
    reviews = [
        GoalReview.objects.create(
            group=group,
            opened_on=opened - datetime.timedelta(days=r),
            closes_on=opened + datetime.timedelta(days=2),  # open until today
            objectives=["Feel less alone"],
        )
        for r in range(MEETINGS)
    ]
    truth = {}
    for review in reviews:
        for person in people:
            marker = f"marker-{secrets.token_hex(6)}"
            truth[marker] = person.pk
            client.force_login(person)
            response = client.post(
                reverse("feedback:review_answer", args=[review.pk]),
                {
                    "objectives_count": 1,
                    "objective_0": "yes",
                    "discussions": 4,
                    "activities": 3,
                    "what_to_change": marker,
                },
            )
            assert response.status_code == 302
    dump = _everything_in_the_database()
    assert not any(marker in dump for marker in truth)
    receipts = _sql(
        "SELECT review_id, member_id, xmin::text::bigint FROM feedback_goalreviewreceipt "
        "ORDER BY xmin::text::bigint"
    )
    assert services.review_release_due(today=opened + datetime.timedelta(days=2)) == 0
    assert services.review_release_due(today=opened + datetime.timedelta(days=3)) == len(truth)
    answers = _sql(
        "SELECT id::text, review_id, what_to_change, xmin::text::bigint, ctid::text "
        "FROM feedback_goalreviewresponse"
    )
    assert sorted(a[2] for a in answers) == sorted(truth)
    assert {uuid.UUID(a[0]).version for a in answers} == {4}
    assert min(a[3] for a in answers) > max(r[2] for r in receipts)
    right = 0
    for review in reviews:
        mine = [a for a in answers if a[1] == review.pk]
        assert len({a[3] for a in mine}) == 1
        authors = [r[1] for r in receipts if r[0] == review.pk]
        for key in (lambda a: _tid(a[4]), lambda a: a[0]):
            right += _rank_matches(authors, [truth[a[2]] for a in sorted(mine, key=key)])
    assert right <= 2 * BOUND - 5, right  # two techniques: 10 expected at random, 80 linked
    assert {f.name for f in GoalReviewResponse._meta.concrete_fields} == {
        "id",
        "review",
        "verdicts",
        "discussions",
        "activities",
        "what_to_change",
    }


def test_anonymous_suggestions_are_held_then_written_in_one_shuffled_batch(client):
    """Suggestions have no receipt: what could betray their author is when they were
    written (next to the author's other writes) and their order. Each group's are written
    in one transaction, in random order, dated the day of release."""
    groups, truth = [], {}
    for _g in range(MEETINGS):
        group = PeerGroupFactory()
        people = [MembershipFactory(group=group).user for _ in range(PEOPLE)]
        groups.append((group, people))
        for person in people:
            marker = f"marker-{secrets.token_hex(6)}"
            truth[marker] = person.pk
            client.force_login(person)
            response = client.post(
                reverse("feedback:suggestions", args=[group.slug]),
                {"kind": "topic", "text": marker, "anonymous": "on"},
            )
            assert response.status_code == 302, response.content.decode()[-3000:]
    assert not any(marker in _everything_in_the_database() for marker in truth)
    assert services.suggestions_release_due() == len(truth)
    rows = _sql(
        "SELECT id, group_id, text, xmin::text::bigint, ctid::text, author_id, created_on "
        "FROM feedback_suggestion"
    )
    assert sorted(r[2] for r in rows) == sorted(truth)
    assert {r[5] for r in rows} == {None}
    assert {r[6] for r in rows} == {timezone.localdate()}
    right = 0
    for group, people in groups:
        mine = [r for r in rows if r[1] == group.pk]
        assert len({r[3] for r in mine}) == 1
        order = [p.pk for p in people]  # the order they wrote in
        for key in (lambda r: r[0], lambda r: _tid(r[4])):
            right += _rank_matches(order, [truth[r[2]] for r in sorted(mine, key=key)])
    assert right <= 2 * BOUND - 5, right
    assert Suggestion.objects.count() == len(truth)
