"""Replace Wagtail's placeholder root page with the project's HomePage and point the site at it."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("core", "HomePage")

    Page.objects.filter(content_type__app_label="wagtailcore", content_type__model="page", depth=2).delete()
    content_type, _ = ContentType.objects.get_or_create(app_label="core", model="homepage")
    home = HomePage.objects.create(
        title="Hệ thống quản lý chất lượng ISO 9001:2015",
        draft_title="Hệ thống quản lý chất lượng ISO 9001:2015",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        live=True,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True, site_name="ISO 9001")


def remove_home_page(apps, schema_editor):
    apps.get_model("core", "HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_iso_clauses")]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
