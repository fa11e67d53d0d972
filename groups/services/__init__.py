"""groups.services: one module per area (organisations, directory, membership, agreements)."""


class GroupsError(Exception):
    """A rule of the product said no. `message` is written for the person, and a view
    turns it into a form error or a flash message (never a 500)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
