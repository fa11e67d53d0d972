"""The one exception type for business rules that say no."""


class DomainError(Exception):
    """A rule of the product refused an action. `message` is written for the person:
    views turn it into a form error or a flash message, never a 500."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
