"""WSGI entry point, served by gunicorn in production."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")

application = get_wsgi_application()

if settings.SECRET_KEY_MISSING:
    raise ImproperlyConfigured("Set SECRET_KEY (or turn on DEBUG for local use).")
