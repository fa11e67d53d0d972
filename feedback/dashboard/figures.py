"""Per-meeting sums of sealed check-in answers (`MeetingFigure`), written in bulk by SQL.

Answers are summed once a survey is sealed (`feedback.tasks.seal_closed_checkins` seals
and refreshes in one transaction), because sealed answers never change again: a row
written then stays true. The dashboards read these sums for sealed surveys and the raw
answers for the rest, so nothing is counted twice or missed (selectors.checkin_sums).
"""

from __future__ import annotations

from django.db import connection, transaction

from feedback.dashboard import cache as dashboard_cache
from feedback.models import MeetingFigure

# The dashboard's rating bands; selectors.BANDS must stay the same list.
BANDS = [(0, 2), (3, 4), (5, 6), (7, 8), (9, 10)]

# Meetings whose sealed answers are not (or not all) in MeetingFigure: every answer has a
# mood before, so the "~mood_before" row counts the answers summed.
_DUE = """
SELECT r.meeting_id
FROM feedback_checkinresponse r
LEFT JOIN feedback_meetingfigure f ON f.meeting_id = r.meeting_id AND f.key = %s
WHERE r.sealed
GROUP BY r.meeting_id, f.answered
HAVING count(*) <> coalesce(f.answered, 0)
"""

_BANDS_SQL = ", ".join(
    f"count(*) FILTER (WHERE a.v BETWEEN {low} AND {high})" for low, high in BANDS
)

# One pass over each meeting's sealed answers: each rating and both moods as (key, value),
# summed per meeting and key; the receipts give how many people answered.
# Only our constants (BANDS) are formatted in; every value is a parameter.
_WRITE = f"""
WITH answers AS (
    SELECT r.meeting_id, kv.key, (kv.value)::integer AS v
    FROM feedback_checkinresponse r CROSS JOIN LATERAL jsonb_each_text(r.ratings) kv
    WHERE r.sealed AND r.meeting_id = ANY(%(ids)s)
  UNION ALL
    SELECT r.meeting_id, %(before)s, r.mood_before FROM feedback_checkinresponse r
    WHERE r.sealed AND r.meeting_id = ANY(%(ids)s)
  UNION ALL
    SELECT r.meeting_id, %(after)s, r.mood_after FROM feedback_checkinresponse r
    WHERE r.sealed AND r.meeting_id = ANY(%(ids)s)
)
INSERT INTO feedback_meetingfigure
    (meeting_id, key, answered, total, band0, band1, band2, band3, band4, answerers)
SELECT a.meeting_id, a.key, count(a.v), coalesce(sum(a.v), 0), {_BANDS_SQL},
       (SELECT count(*) FROM feedback_checkinreceipt c WHERE c.meeting_id = a.meeting_id)
FROM answers a
GROUP BY a.meeting_id, a.key
"""  # nosec B608  # noqa: S608 - only the integer bounds of BANDS are written into the text


def due() -> list[int]:
    """Meetings with sealed answers that MeetingFigure does not hold (all) of yet."""
    with connection.cursor() as cursor:
        cursor.execute(_DUE, [MeetingFigure.MOOD_BEFORE])
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic
def refresh(meeting_ids: list[int] | None = None) -> int:
    """Rewrite the figures of these meetings (default: every meeting `due()`); returns
    how many meetings were summed. Safe to rerun: a meeting's rows are replaced whole."""
    ids = due() if meeting_ids is None else list(meeting_ids)
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM feedback_meetingfigure WHERE meeting_id = ANY(%s)", [ids])
        cursor.execute(
            _WRITE,
            {"ids": ids, "before": MeetingFigure.MOOD_BEFORE, "after": MeetingFigure.MOOD_AFTER},
        )
    # Raw SQL sends no signal: the cached dashboards of these meetings' organisations
    # are renewed here (sealing's rewritten answers reach the dashboards through this too).
    dashboard_cache.invalidate_meetings(ids)
    return len(ids)
