"""The project's URLs plus a test API mounting the radio router (until lantoa/api/api.py mounts it)."""

from django.urls import path
from ninja import NinjaAPI

from lantoa.radio.api import router
from lantoa.urls import urlpatterns as project_urlpatterns

api = NinjaAPI(title="radio test", urls_namespace="radio-test-api", docs_url=None)
api.add_router("/radio/", router)

urlpatterns = [path("radio-api-test/", api.urls), *project_urlpatterns]
