from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern as WAGTAIL_SERVE_PATTERN  # noqa: N812

from lantoa.api.api import api
from lantoa.column.views import serve_page, sitemap
from lantoa.health import healthz
from lantoa.tenancy import views as tenancy_views
from lantoa.tenancy.accounts import RateLimitedPasswordResetView
from lantoa.tenancy.files import public_media

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    # The user guide (docs/huong-dan/), one page per role; the back office's help links open it.
    path("xac-minh/", tenancy_views.certificate_lookup, name="certificate_lookup"),
    path("xac-minh/<str:code>/", tenancy_views.certificate_verify, name="certificate_verify"),
    path("huong-dan/", tenancy_views.guide_index, name="guide_index"),
    path("huong-dan/img/<str:name>", tenancy_views.guide_image, name="guide_image"),
    path("huong-dan/<slug:slug>/", tenancy_views.guide_page, name="guide_page"),
    path("plans/", include("lantoa.plans.urls")),
    path("reach/", include("lantoa.reach.urls")),
    path("column/", include("lantoa.column.urls")),
    path("radio/", include("lantoa.radio.urls")),
    path("reports/", include("lantoa.reports.urls")),
    # The field app for the community digital teams (installable, works offline; lantoa/field).
    path("thuc-dia/", include("lantoa.field.urls")),
    path("su-kien/", include("lantoa.events.urls")),
    path("learning/", include("lantoa.learning.urls")),
    path("cuoc-thi/", include("lantoa.learning.public_urls")),
    # A partner's personal link (no account): its plan and activities (lantoa.partners).
    path("doi-tac/", include("lantoa.partners.urls")),
    path("awards/", include("lantoa.awards.urls")),
    # Wagtail's password reset, limited per client address and per e-mail (before Wagtail's own route).
    path("admin/password_reset/", RateLimitedPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Public media only (images, the column's files, bulletins' audio) when nginx does not answer /media/ itself;
    # private files have their own permission-checked views (lantoa.tenancy.files).
    path("media/<path:path>", public_media, name="public_media"),
    # Wagtail's own front-end routes first (/_util/login/ and the password form of restricted pages: the serving
    # pattern below would swallow them), then its page serving behind the column's render cache; Wagtail's own
    # serving pattern, after it, still reverses page addresses.
    *[route for route in wagtail_urls.urlpatterns if getattr(route, "name", None) != "wagtail_serve"],
    re_path(WAGTAIL_SERVE_PATTERN, serve_page, name="column_serve_page"),
    path("", include(wagtail_urls)),
]
