from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks into our user model."""

    def populate_username(self, request, user):
        # There is no username field; email is the login.
        return None
