"""feedback.views: one module per area (check-in, suggestions, reviews, goals)."""
