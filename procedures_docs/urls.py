"""Site pages of controlled documents that are not pages of the tree (mounted at /tai-lieu/)."""

from django.urls import path

from procedures_docs.views import site

app_name = "procedures_docs"

urlpatterns = [
    path("tim-kiem/", site.search, name="search"),
    path("can-doc/", site.to_read, name="to_read"),
    path("danh-muc/", site.all_master_list, name="master_list"),
    path("danh-muc/pdf/", site.all_master_list, {"fmt": "pdf"}, name="master_list_pdf"),
    path("danh-muc/xlsx/", site.all_master_list, {"fmt": "xlsx"}, name="master_list_xlsx"),
]
