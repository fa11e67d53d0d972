from django.conf import settings


def site(request):
    """Values every page needs: the site URL for share links, and the small-number
    threshold that pages promising anonymity name (the figures themselves are withheld by
    feedback.dashboard.protection, which reads the same setting)."""
    return {
        "SITE_URL": settings.SITE_URL,
        "SMALL_NUMBER_THRESHOLD": int(settings.SMALL_NUMBER_THRESHOLD),
    }
