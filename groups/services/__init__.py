"""groups.services: one module per area (organisations, directory, membership, agreements)."""
