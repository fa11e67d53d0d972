# The space's rows hold members' words: they are read in the app, by the group's own
# facilitators, not in the Django admin.
