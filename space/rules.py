"""Permission rules of the group space (registered in peersupport.permissions)."""

from groups.selectors import is_facilitator, is_organizer
from peersupport.permissions import signed_in_rules
from space import selectors

signed_in_rules(
    {
        # The board, its threads, posting, reporting: see `selectors.can_read_space`.
        "space.read": selectors.can_read_space,
        # One's own name in the space and reading while on a break: members taking part
        # who signed the current agreement (on a break too, so they can choose to read).
        "space.own_settings": selectors.is_signed_member,
        # The moderation queue, pins, locks, suspensions, pseudonym look-ups.
        "space.moderate": is_facilitator,
    }
)

signed_in_rules(
    {
        # The watched words of the organisation's spaces: its organizers.
        "space.watched_words": is_organizer,
    }
)
