"""sessions.services: one module per area."""
