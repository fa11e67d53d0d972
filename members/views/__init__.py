"""members.views: the profile, data rights (export, deletion) and notification settings."""
