"""Models arrive with their issue; the app exists so its label and migrations are stable."""
