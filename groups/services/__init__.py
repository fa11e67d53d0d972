"""groups.services: one module per area (organisations, directory, membership, agreements)."""

from peersupport.errors import DomainError

# The project has one domain error type; the groups services raise it under this name.
GroupsError = DomainError

__all__ = ["DomainError", "GroupsError"]
