"""French dates: Django's own formats ("8 décembre 2026"); the worded patterns our pages
name (`peersupport.templatetags.dates`) read the same in French as in English."""

WORDED_DATES: dict[str, str] = {}
FIRST_DAY_OF_WEEK = 1  # lundi
