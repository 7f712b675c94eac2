"""The WSGI application gunicorn serves (deploy/systemd/lantoa-web@.service, ``--preload``)."""

import os

from django.core.wsgi import get_wsgi_application

from lantoa.process import freeze_long_lived_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
application = get_wsgi_application()
freeze_long_lived_objects()
