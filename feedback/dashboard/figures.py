"""Per-meeting sums of released check-in answers (`MeetingFigure`), written in bulk by SQL.

A meeting's answers are summed in the transaction that releases them
(`services.checkin_release`); they never change again, so a row written then stays true.
"""

from __future__ import annotations

from django.db import connection, transaction

from feedback.dashboard import cache as dashboard_cache
from feedback.models import MeetingFigure

# The dashboard's rating bands; selectors.BANDS must stay the same list.
BANDS = [(0, 2), (3, 4), (5, 6), (7, 8), (9, 10)]

_BANDS_SQL = ", ".join(
    f"count(*) FILTER (WHERE a.v BETWEEN {low} AND {high})" for low, high in BANDS
)

# One pass over each meeting's answers: each rating and both moods as (key, value), summed
# per meeting and key, with how many answers the meeting has (one per person).
# Only our constants (BANDS) are formatted in; every value is a parameter.
_WRITE = f"""
WITH answers AS (
    SELECT r.meeting_id, kv.key, (kv.value)::integer AS v
    FROM feedback_checkinresponse r CROSS JOIN LATERAL jsonb_each_text(r.ratings) kv
    WHERE r.meeting_id = ANY(%(ids)s)
  UNION ALL
    SELECT r.meeting_id, %(before)s, r.mood_before FROM feedback_checkinresponse r
    WHERE r.meeting_id = ANY(%(ids)s)
  UNION ALL
    SELECT r.meeting_id, %(after)s, r.mood_after FROM feedback_checkinresponse r
    WHERE r.meeting_id = ANY(%(ids)s)
)
INSERT INTO feedback_meetingfigure
    (meeting_id, key, answered, total, band0, band1, band2, band3, band4, answerers)
SELECT a.meeting_id, a.key, count(a.v), coalesce(sum(a.v), 0), {_BANDS_SQL},
       (SELECT count(*) FROM feedback_checkinresponse c WHERE c.meeting_id = a.meeting_id)
FROM answers a
GROUP BY a.meeting_id, a.key
"""  # nosec B608  # noqa: S608 - only the integer bounds of BANDS are written into the text


@transaction.atomic
def refresh(meeting_ids: list[int] | None = None) -> int:
    """Rewrite the figures of these released meetings (None: of every meeting with
    answers, as migration 0002 asks); returns how many were summed. Safe to rerun: a
    meeting's rows are replaced whole."""
    if meeting_ids is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT meeting_id FROM feedback_checkinresponse")
            meeting_ids = [row[0] for row in cursor.fetchall()]
    ids = list(meeting_ids)
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM feedback_meetingfigure WHERE meeting_id = ANY(%s)", [ids])
        cursor.execute(
            _WRITE,
            {"ids": ids, "before": MeetingFigure.MOOD_BEFORE, "after": MeetingFigure.MOOD_AFTER},
        )
    # Raw SQL sends no signal: the cached dashboards of these meetings' organisations
    # are renewed here (the release's bulk insert of answers reaches them through this).
    dashboard_cache.renew_meetings(ids)
    return len(ids)
