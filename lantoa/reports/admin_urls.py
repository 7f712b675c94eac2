"""Back-office routes of the reports, mounted under /admin/baocao/ by wagtail_hooks.

Not /admin/reports/: that is Wagtail's own reports area (site-wide, superusers only).
"""

from django.urls import path

from . import views

app_name = "reports_admin"
urlpatterns = [
    path("", views.index, name="index"),
    path("province/", views.province, name="province"),
    path("province/xlsx/", views.province_xlsx, name="province_xlsx"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/docx/", views.download_docx, name="docx"),
    path("<int:report_id>/pdf/", views.download_pdf, name="pdf"),
    path("<int:report_id>/xlsx/", views.download_xlsx, name="xlsx"),
]
