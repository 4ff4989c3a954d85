"""
Documents are not public: a login restriction on the Root collection covers every collection below it
(Wagtail's document view checks the restrictions of a document's collection and its ancestors), so a
document anyone uploads, such as the original of a draft, downloads only after login. Who among the
logged-in may download it is decided by `procedures_docs.wagtail_hooks` (docs/security.md, "Uploaded files").
"""

from django.db import migrations

LOGIN = "login"  # = wagtail.models.BaseViewRestriction.LOGIN


def restrict_root(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    root = Collection.objects.filter(depth=1).first()
    if root is not None and not CollectionViewRestriction.objects.filter(collection=root, restriction_type=LOGIN).exists():
        CollectionViewRestriction.objects.create(collection=root, restriction_type=LOGIN)


def lift(apps, schema_editor):
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    CollectionViewRestriction.objects.filter(collection__depth=1, restriction_type=LOGIN).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_wagtail_defaults_in_vietnamese"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(restrict_root, lift)]
