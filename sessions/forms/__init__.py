"""sessions.forms: one module per area (meetings, RSVP and events, agenda/roles/live, debriefs)."""
