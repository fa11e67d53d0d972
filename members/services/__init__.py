"""members.services: accounts and profiles, and data rights (export, deletion)."""
