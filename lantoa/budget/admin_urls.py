"""Back-office routes of the budget, mounted under /admin/ngansach/ by wagtail_hooks."""

from django.urls import path

from . import views

app_name = "budget_admin"
urlpatterns = [
    path("", views.index, name="index"),
    path("dong/<int:estimateline_id>/", views.line, name="line"),
    path("chi/<int:spending_id>/chung-tu/", views.evidence, name="evidence"),
    path("chi-phi/", views.costs, name="costs"),
    path("de-xuat.xlsx", views.proposal_xlsx, name="proposal_xlsx"),
    path("to-trinh.docx", views.proposal_docx, name="proposal_docx"),
]
