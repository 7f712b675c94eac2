from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lantoa.api.api import api
from lantoa.column.views import sitemap
from lantoa.health import healthz
from lantoa.tenancy.files import public_media

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("plans/", include("lantoa.plans.urls")),
    path("reach/", include("lantoa.reach.urls")),
    path("column/", include("lantoa.column.urls")),
    path("radio/", include("lantoa.radio.urls")),
    path("reports/", include("lantoa.reports.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Public media only (images, the column's files, bulletins' audio) when nginx does not answer /media/ itself;
    # private files have their own permission-checked views (lantoa.tenancy.files).
    path("media/<path:path>", public_media, name="public_media"),
    path("", include(wagtail_urls)),
]
