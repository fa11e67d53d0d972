"""groups.forms: one module per area (organisations, directory, membership, agreements)."""
