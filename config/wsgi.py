"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What start-up made (settings, every app's models and modules) lives as long as
# the process, so the collector's full collections need not rescan it: frozen,
# they skip it.
# With gunicorn --preload it also keeps the memory shared with workers unwritten.
gc.collect()
gc.freeze()
