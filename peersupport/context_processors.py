from django.conf import settings


def site(request):
    """Values every page needs: the site URL for share links."""
    return {"SITE_URL": settings.SITE_URL}
