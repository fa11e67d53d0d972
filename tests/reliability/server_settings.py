"""Production settings for servers the reliability tests start, minus collected static files.

The hashed-manifest storage needs `collectstatic` first; these servers only answer HTML,
so plain static URLs are enough and no test writes into the shared staticfiles/ folder.
"""

from peersupport.settings import *  # noqa: F403
from peersupport.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
