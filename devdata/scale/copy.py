"""Writing rows with PostgreSQL COPY, in chunks, with ids taken ahead of the inserts."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

# Every meeting whose survey closed (7 days and an hour after it ended), as
# services.checkin_release would leave it.
from devdata.scale.plan import CHUNK
from devdata.scale.space import SPACE_COLUMNS


# --- COPY helpers -------------------------------------------------------------------------
def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    return value


class Writer:
    """Buffers rows per table and COPYs them in chunks; ids continue after the highest."""

    def __init__(self, cursor, columns: dict[str, tuple[str, ...]]):
        self.cursor = cursor
        self.columns = columns
        self.buffers: dict[str, io.StringIO] = {t: io.StringIO() for t in columns}
        self.pending: dict[str, int] = dict.fromkeys(columns, 0)
        self.counts: dict[str, int] = dict.fromkeys(columns, 0)
        self.next_ids: dict[str, int] = {}

    def first_id(self, table: str) -> int:
        if table not in self.next_ids:
            self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 # nosec B608
            self.next_ids[table] = self.cursor.fetchone()[0]
        return self.next_ids[table]

    def take_id(self, table: str) -> int:
        pk = self.first_id(table)
        self.next_ids[table] = pk + 1
        return pk

    def row(self, table: str, values: Iterable) -> None:
        self.line(table, "\t".join(_text(v) for v in values))

    def line(self, table: str, line: str) -> None:
        """A row already in COPY text format (the hot tables format their own)."""
        self.buffers[table].write(line)
        self.buffers[table].write("\n")
        self.pending[table] += 1
        if self.pending[table] >= CHUNK:
            self.flush()

    def flush(self) -> None:
        # Parents before children (dict order): foreign keys are checked row by row.
        for table, buffer in self.buffers.items():
            if not self.pending[table]:
                continue
            buffer.seek(0)
            columns = ", ".join(f'"{c}"' for c in self.columns[table])
            self.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
            self.counts[table] += self.pending[table]
            self.pending[table] = 0
            self.buffers[table] = io.StringIO()

    def reset_sequences(self) -> None:
        for table in self.next_ids:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 # nosec B608
                f"(SELECT MAX(id) FROM {table}))"
            )


COLUMNS = {
    "members_user": (
        "id password is_superuser is_staff is_active date_joined email display_name full_name "
        "time_zone discreet_mode preferred_language"
    ),
    "account_emailaddress": "id email verified primary user_id",
    "groups_organisation": (
        "id name slug description contact_email contact_phone website crisis_resources "
        "professional_referrals notes_retention_days created_at"
    ),
    "groups_organisationrole": "id role created_at organisation_id user_id",
    "groups_peergroup": (
        "id name slug purpose objectives audience topics how_meetings_run ground_rules_summary "
        "format city place online_link frequency meeting_day meeting_time duration_minutes "
        "capacity language time_zone visibility join_policy intake_questions status created_at "
        "updated_at organisation_id"
    ),
    "groups_membership": (
        "id role status break_until intake_answers willing_to_mentor joined_at created_at "
        "updated_at user_id group_id"
    ),
    "groups_agreementversion": (
        "id number text online_addendum content_hash published_at group_id published_by_id"
    ),
    "groups_signature": (
        "id content_hash typed_name addendum_acknowledged signed_at group_id member_id version_id"
    ),
    "meetings_meeting": (
        "id starts_at ends_at time_zone topic format place online_link capacity online_capacity "
        "status cancel_reason detached agenda_version live_item speaking_order speaking_position "
        "created_at updated_at facilitator_id group_id rsvp_closes_hours_before sequence"
    ),
    "meetings_rsvp": (
        "id status mode waitlisted_at created_at updated_at confirmed_at meeting_id user_id"
    ),
    "meetings_attendance": "id status marked_at marked_by_id user_id meeting_id",
    "feedback_checkoutopening": "id opened_at meeting_id opened_by_id",
    "feedback_checkinreceipt": "id meeting_id member_id",
    "feedback_checkinresponse": (
        "id meeting_date ratings mood_before mood_after comment comment_signed_as "
        "meeting_id question_set_id"
    ),
    "meetings_calendarfeed": "id token created_at user_id",
    **SPACE_COLUMNS,
}
