from django.conf import settings


def site(request):
    """Values every page needs: the site URL for share links, and the small-number
    threshold that pages promising anonymity name (the figures themselves are withheld by
    feedback.dashboard.protection, which reads the same setting), and the languages in
    their own names for the footer's switcher (Django's `get_available_languages`
    translates them: a Spanish page would offer "Inglés" to an English reader)."""
    return {
        "SITE_URL": settings.SITE_URL,
        "LANGUAGES_IN_OWN_NAMES": settings.LANGUAGES,
        "SMALL_NUMBER_THRESHOLD": int(settings.SMALL_NUMBER_THRESHOLD),
    }
