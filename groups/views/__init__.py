"""groups.views: one module per area (organisations, directory, membership, agreements)."""
