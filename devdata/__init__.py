"""Development-only data: the scale data set for benchmarks (`manage.py seed_scale`).

Installed only when DEBUG is on and in the test settings (see `INSTALLED_APPS` in
`peersupport/settings.py`), so a production deployment carries none of it. Nothing in
the project's apps imports from here.
"""
