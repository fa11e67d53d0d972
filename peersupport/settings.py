"""peersupport settings, read from the environment (django-environ).

With nothing set, the app runs on the embedded default (see `peersupport.embedded`):
a bundled PostgreSQL and a bundled Redis in `.local/`, the same stack as production.
Set DATABASE_URL and REDIS_URL for a real deployment; see docs/deploy.md.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from peersupport import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")


def _read(name: str, cast, **kwargs):
    """Read one variable; a malformed value becomes a one-line explanation."""
    try:
        return cast(name, **kwargs)
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # environ raises ValueError and friends
        raise ImproperlyConfigured(f"{name} has a value that cannot be used: {exc}") from None


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _strict_bool(name: str, default: bool = False) -> bool:
    """A switch is 1/0 (or true/false, yes/no, on/off); anything else is a mistake to report
    (django-environ reads every unknown word, such as "maybe", as false)."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true or false), not {raw!r}.")


DEBUG = _read("DEBUG", _strict_bool)
SECRET_KEY = _read("SECRET_KEY", env.str, default="")
if not SECRET_KEY:
    if not DEBUG and _read("DATABASE_URL", env.str, default=""):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off: set SECRET_KEY to a long random string "
            "(or DEBUG=1 for development, which keeps a random key in .local/secret_key)."
        )
    # Development and the embedded default: this checkout's own random key, made on first
    # run (never a constant, so no key anyone else knows is ever trusted).
    SECRET_KEY = embedded.secret_key(BASE_DIR)

ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, default=["127.0.0.1", "localhost"])
SITE_URL = _read("SITE_URL", env.str, default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, default=[SITE_URL])

# --- Applications ---------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "peersupport",
    "members",
    "groups",
    "sessions.apps.MeetingsConfig",
    "finders",
    "feedback",
    "space",
]
if DEBUG:
    # Development-only data (`seed_scale`); the test settings add it too.
    INSTALLED_APPS.append("devdata")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peersupport.middleware.SecurityHeadersMiddleware",
    "peersupport.middleware.PrivateResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "peersupport.middleware.AuthenticationMiddleware",
    "peersupport.middleware.LanguageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "peersupport.middleware.UnparseableInputMiddleware",
    "peersupport.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "peersupport.middleware.TimezoneMiddleware",
    "peersupport.middleware.DatabaseUnavailableMiddleware",
    "peersupport.middleware.OwnErrorPagesMiddleware",
]

ROOT_URLCONF = "peersupport.urls"
WSGI_APPLICATION = "peersupport.wsgi.application"
AUTH_USER_MODEL = "members.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "peersupport.context_processors.site",
                "groups.context_processors.navigation",
                "members.context_processors.notices",
            ],
            # `|date_words` on every template: dates in the reader's word order.
            "builtins": ["peersupport.templatetags.dates"],
        },
    }
]

# --- Database, cache, broker ----------------------------------------------------------
DATABASE_URL = _read("DATABASE_URL", env.str, default="")
EMBEDDED = not DATABASE_URL
if EMBEDDED:
    DATABASE_URL = embedded.embedded_database_url(BASE_DIR)
try:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
except Exception as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
# A socket folder given as ?host=/path belongs in HOST, where Django and our tools look.
if "host" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
# Persistent connections: a new PostgreSQL connection costs ~9 ms per request.
DATABASES["default"]["CONN_MAX_AGE"] = _read("CONN_MAX_AGE", env.int, default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = _read("REDIS_URL", env.str, default="")
REDIS_EMBEDDED = not REDIS_URL
if REDIS_EMBEDDED:
    # The embedded default runs a real Redis too: one stack in development, tests and
    # production, so nothing (cache eviction, the broker) behaves differently anywhere.
    REDIS_URL = embedded.embedded_redis_url(BASE_DIR)
CACHES = {
    "default": {
        "BACKEND": "peersupport.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": _read("CACHE_KEY_PREFIX", env.str, default="ps"),
    }
}
CELERY_BROKER_URL = REDIS_URL
# Results are off by default (task_ignore_result); a caller may ask for one.
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

# --- Celery ---------------------------------------------------------------------------
# Late acks + reject on worker loss: a task whose worker dies is delivered again, so
# every task must be idempotent (they stamp the rows they handled).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = _read("CELERY_QUEUE", env.str, default="peersupport")
CELERY_TASK_ALWAYS_EAGER = _read("CELERY_TASK_ALWAYS_EAGER", _strict_bool)
CELERY_TASK_IGNORE_RESULT = True
# Test suites only: one worker serves many tests while the test database is flushed and
# restored between them, so content type ids it cached can go stale (peersupport/celery.py).
CELERY_FRESH_CONTENT_TYPES = _read("CELERY_FRESH_CONTENT_TYPES", _strict_bool)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Keep twelve weeks of every repeating series' meetings materialised (due ones only).
    "meetings-extend-series": {
        "task": "sessions.tasks.extend_meeting_series",
        "schedule": 6 * 3600,
    },
    # Who viewed a member's contact details: kept a year, then purged (groups/tasks.py).
    "groups-purge-contact-logs": {
        "task": "groups.tasks.purge_contact_access_logs",
        "schedule": 24 * 3600,
    },
    # Contact logs and handled support requests, per organisation's retention.
    "groups-purge-by-retention": {
        "task": "groups.tasks.purge_by_retention",
        "schedule": 24 * 3600,
    },
    # Facilitator notes older than their organisation's retention period.
    "meetings-purge-notes": {
        "task": "sessions.tasks.purge_expired_meeting_notes",
        "schedule": 24 * 3600,
    },
    # Emails about meetings (sessions/tasks.py): reminders fan out in batches, never one ETA
    # task per message. The entries keep their names: the database scheduler updates the
    # stored rows of these names to the tasks' new paths when beat starts.
    # Other organisations' Meeting Guide feeds, each read every 12 hours (finders/tasks.py).
    "finders-fetch-feeds": {"task": "finders.tasks.fetch_due_feeds", "schedule": 3600},
    "notifications-reminders": {"task": "sessions.tasks.send_due_reminders", "schedule": 300},
    "notifications-checkin-surveys": {
        "task": "sessions.tasks.send_checkin_invitations",
        "schedule": 900,
    },
    # The notification layer (members/tasks.py): re-enqueue lost, due-for-retry and
    # abandoned deliveries. Every minute: a row a dead worker held goes out again within a
    # minute of its lease ending (two indexed queries when there is nothing to do).
    "notifications-sweep": {"task": "members.tasks.requeue_stale_notifications", "schedule": 60},
    "notifications-digest-daily": {
        "task": "sessions.tasks.send_facilitator_digests",
        "schedule": crontab(minute=0, hour=7),
        "args": ["daily"],
    },
    "notifications-digest-weekly": {
        "task": "sessions.tasks.send_facilitator_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ["weekly"],
    },
    # The group space (space/tasks.py): yesterday's replies in one email per member, and
    # posts past their organisation's retention.
    "space-digest-daily": {
        "task": "space.tasks.send_space_digests",
        "schedule": crontab(minute=15, hour=7),
    },
    "space-purge-by-retention": {
        "task": "space.tasks.purge_old_posts",
        "schedule": 24 * 3600,
    },
    # Purpose and goals reviews on each group's schedule (feedback/tasks.py).
    "feedback-goal-reviews": {
        "task": "feedback.tasks.open_due_goal_reviews",
        "schedule": crontab(minute=30, hour=6),
    },
    # Closed surveys: held answers written in one shuffled batch each (feedback/holding.py).
    "feedback-release-surveys": {
        "task": "feedback.tasks.release_closed_surveys",
        "schedule": crontab(minute=45),
    },
}

# --- Accounts (django-allauth) --------------------------------------------------------
# Django's and allauth's backends, reading the account from the row cache (peersupport/auth.py).
AUTHENTICATION_BACKENDS = [
    "peersupport.auth.ModelBackend",
    "peersupport.auth.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.account.SignupDetailsForm"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "peersupport: "
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "peersupport"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Email ----------------------------------------------------------------------------
EMAIL_URL = _read("EMAIL_URL", env.str, default="")
if EMAIL_URL:
    try:
        vars().update(env.email_url_config(EMAIL_URL))
    except Exception as exc:
        raise ImproperlyConfigured(f"EMAIL_URL cannot be read: {exc}") from None
elif EMBEDDED or DEBUG:
    # No mail server in development: every message is written to a file you can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(embedded.local_dir(BASE_DIR) / "mail")
else:
    raise ImproperlyConfigured("EMAIL_URL is not set (e.g. smtp://user:pass@host:587).")
DEFAULT_FROM_EMAIL = _read(
    "DEFAULT_FROM_EMAIL", env.str, default="peersupport <no-reply@peersupport.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- Internationalisation and time zones ----------------------------------------------
LANGUAGE_CODE = "en"
# The languages of the interface, each in its own name (the switcher shows them so).
# Adding one: README, "Adding a language".
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
# Languages a group's meetings may be held in (a wider list than the interface's).
SPOKEN_LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("nl", "Nederlands"),
    ("pt", "Português"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A visitor's choice from the footer's switcher (a signed-in person's is kept on the account).
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = "UTC"
# One way of writing dates per language (peersupport/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["peersupport.formats"]
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------
HTTPS = _read("HTTPS", _strict_bool, default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if _read("BEHIND_PROXY", _strict_bool):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "peersupport.logging.RedactSensitiveFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": _read("LOG_LEVEL", env.str, default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # runserver's access log carries paths (and their tokens): through our filter too.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Product settings -----------------------------------------------------------------
# Fewer responses or members than this and a dashboard figure reads "not enough responses".
SMALL_NUMBER_THRESHOLD = _read("SMALL_NUMBER_THRESHOLD", env.int, default=5)
# Benchmarks (bench/run.py): BENCH=1 adds the bare view at /bench/bare/, nothing else.
BENCH = _read("BENCH", _strict_bool)
# Visitors' copies of public pages (groups/cache.py) live this long; 0 turns them off.
PUBLIC_CACHE_SECONDS = _read("PUBLIC_CACHE_SECONDS", env.int, default=300)
# Dashboard reports (feedback/dashboard/cache.py) at most this old after bulk writes; 0: off.
DASHBOARD_CACHE_SECONDS = _read("DASHBOARD_CACHE_SECONDS", env.int, default=600)
# Rows every signed-in request reads (peersupport/cache.py) live this long at most; 0: off.
ROW_CACHE_SECONDS = _read("ROW_CACHE_SECONDS", env.int, default=600)
# Each member's finished private calendar feed (sessions/feed_cache.py); 0: off.
FEED_CACHE_SECONDS = _read("FEED_CACHE_SECONDS", env.int, default=600)
# Reading other organisations' Meeting Guide feeds (finders/fetch.py): seconds a fetch may
# take, the largest feed read, and whether feeds on loopback or private addresses may be
# read (never in production: it would let an organizer probe our own network).
FINDER_FETCH_TIMEOUT = _read("FINDER_FETCH_TIMEOUT", env.int, default=20)
FINDER_FEED_MAX_BYTES = _read("FINDER_FEED_MAX_BYTES", env.int, default=5_000_000)
FINDER_FEED_MAX_MEETINGS = _read("FINDER_FEED_MAX_MEETINGS", env.int, default=5000)
FINDER_FEED_ALLOW_PRIVATE_HOSTS = _read("FINDER_FEED_ALLOW_PRIVATE_HOSTS", _strict_bool)
# Sites that may show our embeddable finder in a frame (CSP frame-ancestors): any by default.
FINDER_FRAME_ANCESTORS = _read("FINDER_FRAME_ANCESTORS", env.str, default="*")
