"""Demo data: the demo organisation lists two groups in meeting finders (one online, whose
private link the feed leaves out) and reads a sample feed shipped in the repository, so a
newcomer sees nearby groups without any network."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from finders import services
from finders.models import FeedSource
from groups.demo import HARBOUR
from groups.models import AccessFeature, Organisation, PeerGroup

SAMPLE_FEED = Path(__file__).resolve().parent / "fixtures" / "sample-meeting-guide.json"
# The sample's owners, and an address that is never fetched in the demo (example.org).
SAMPLE_NAME = "Solent Peer Support (sample)"
SAMPLE_URL = "https://solent-peers.example.org/meeting-guide.json"
LISTED = {
    "first-responders-peer-circle": {
        "access_features": [AccessFeature.STEP_FREE, AccessFeature.HEARING_LOOP],
    },
    "men-talking-online": {"access_features": [AccessFeature.CAPTIONS]},
}


def seed(out) -> None:
    organisation = Organisation.objects.filter(name=HARBOUR["name"]).first()
    if organisation is None:
        return
    organisation.list_in_finders = True
    organisation.save(update_fields=["list_in_finders"])
    for group in PeerGroup.objects.filter(slug__in=LISTED):
        group.list_in_finders = True
        group.access_features = LISTED[group.slug]["access_features"]
        group.save()
    source, _created = FeedSource.objects.get_or_create(
        organisation=organisation, url=SAMPLE_URL, defaults={"name": SAMPLE_NAME}
    )
    # Through the same validation as any fetched feed; stamped as read just now.
    services.feed_import(source=source, raw=SAMPLE_FEED.read_bytes(), now=timezone.now())
    out.write(f"  {len(LISTED)} groups listed in meeting finders, a sample nearby feed")
