"""Back-office routes of the plan, mounted under /admin/plans/ by wagtail_hooks."""

from django.urls import path

from . import views

app_name = "plans_admin"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:plan_id>/", views.import_preview, name="import_preview"),
    path("import/jobs/<int:job_id>/", views.import_job, name="import_job"),
    path("versions/<int:plan_id>/restore/", views.restore_version, name="restore_version"),
    path("versions/<int:plan_id>/source/", views.plan_source, name="plan_source"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/xlsx/", views.tasks_xlsx, name="tasks_xlsx"),
    path("activities/xlsx/", views.activities_xlsx, name="activities_xlsx"),
    path("activities/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("obstacles/", views.obstacle_list, name="obstacles"),
    path("obstacles/<int:obstacle_id>/", views.obstacle_detail, name="obstacle"),
    path("calendar/", views.calendar_view, name="calendar"),
]
