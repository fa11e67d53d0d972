"""sessions.views: one module per area."""
