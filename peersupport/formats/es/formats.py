"""Spanish dates: Django's own formats ("8 de diciembre de 2026"), and the worded patterns
our pages name (`peersupport.templatetags.dates`), with "de" where Spanish says it."""

WORDED_DATES = {
    "l j F": r"l j \d\e F",
    "l j F, H:i": r"l j \d\e F, H:i",
    "l j F Y": r"l j \d\e F \d\e Y",
    "l j F Y, H:i": r"l j \d\e F \d\e Y, H:i",
    "j F Y": r"j \d\e F \d\e Y",
}
FIRST_DAY_OF_WEEK = 1  # lunes
