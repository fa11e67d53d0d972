"""Settings for the test suite: the same stack as production, tuned for speed.

Tests talk to a real PostgreSQL and a real Redis (DATABASE_URL and REDIS_URL, or the
embedded ones) with every cache on at its production setting: what users run is what the
suite tests. A test that must see an uncached path turns one cache off for itself
(`@pytest.mark.cache_off("ROW_CACHE_SECONDS")`, see tests/conftest.py).
"""

import os
import uuid

os.environ.setdefault("SECRET_KEY", "test-only-" + "s" * 50)
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:2525")
os.environ.setdefault("HTTPS", "0")
# A private cache prefix and queue per run: parallel runs and leftovers never mix.
_run = uuid.uuid4().hex[:8]
os.environ.setdefault("CACHE_KEY_PREFIX", f"pstest-{_run}")
os.environ.setdefault("CELERY_QUEUE", f"pstest-{_run}")

from peersupport.settings import *  # noqa: E402, F403

# The development-only app: the suite tests `seed_scale` too.
if "devdata" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS.append("devdata")  # noqa: F405
# Fast hashing: the suite creates many users; security of test passwords is irrelevant.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run in-process unless a test starts the real worker (`celery_worker` fixture).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The import tests serve feeds from a local HTTP server (production refuses such hosts).
FINDER_FEED_ALLOW_PRIVATE_HOSTS = True
