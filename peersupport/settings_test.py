"""Settings for the test suite: the same stack as production, tuned for speed.

Tests talk to a real PostgreSQL (DATABASE_URL, or the embedded one) and, where
REDIS_URL is set, a real Redis for the cache and the Celery broker.
"""

import os
import uuid

os.environ.setdefault("SECRET_KEY", "test-only-" + "s" * 50)
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:2525")
os.environ.setdefault("HTTPS", "0")
# Pages are built afresh (tests read their context); test_public_cache.py turns caching on.
os.environ.setdefault("PUBLIC_CACHE_SECONDS", "0")
# Likewise the row cache (tests count queries); test_row_cache.py turns it on.
os.environ.setdefault("ROW_CACHE_SECONDS", "0")
os.environ.setdefault("FEED_CACHE_SECONDS", "0")  # test_feed_cache.py turns it on
os.environ.setdefault("DASHBOARD_CACHE_SECONDS", "0")  # test_dashboard_cache.py turns it on
# A private cache prefix and queue per run: parallel runs and leftovers never mix.
_run = uuid.uuid4().hex[:8]
os.environ.setdefault("CACHE_KEY_PREFIX", f"pstest-{_run}")
os.environ.setdefault("CELERY_QUEUE", f"pstest-{_run}")

from peersupport.settings import *  # noqa: E402, F403

# Fast hashing: the suite creates many users; security of test passwords is irrelevant.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run in-process unless a test starts the real worker (`celery_worker` fixture).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
