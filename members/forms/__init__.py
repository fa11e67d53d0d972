"""members.forms: account details and notification settings."""
