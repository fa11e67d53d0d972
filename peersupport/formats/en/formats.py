"""Dates in English, one way everywhere: "15 January 2027", "15 Jan 2027", 24-hour times.

Django's own English formats ("Jan. 15, 2027", "1:30 p.m.") differed from the day-first
dates our pages wrote by hand; templates and emails now name these formats
(`|date:"DATE_FORMAT"`, `{{ a_date }}`) instead of spelling out their own.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
