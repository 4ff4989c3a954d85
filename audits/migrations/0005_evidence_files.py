"""
Evidence files are kept records: each carries the SHA-256 of its bytes, and each unit's evidence
goes to a collection of its own under the evidence parent collection (audits.models.evidence).
Evidence uploaded before this migration stays in the parent collection (as protected as the unit
collections) and gets its SHA-256 now, from the stored file.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models


def fingerprint_existing(apps, schema_editor):
    Document = apps.get_model("wagtaildocs", "Document")
    EvidenceFile = apps.get_model("audits", "EvidenceFile")
    owners = [
        (apps.get_model("audits", "ChecklistItem"), "audit__unit"),
        (apps.get_model("audits", "Finding"), "audit__unit"),
        (apps.get_model("audits", "CorrectiveAction"), "nonconformity__unit"),
    ]
    for model, unit_lookup in owners:
        rows = model.objects.filter(attachments__isnull=False).values_list("attachments", unit_lookup)
        for document_id, unit_id in rows:
            if EvidenceFile.objects.filter(document_id=document_id).exists():
                continue
            document = Document.objects.get(pk=document_id)
            try:
                with document.file.open("rb") as handle:
                    digest = hashlib.sha256()
                    while block := handle.read(1 << 20):
                        digest.update(block)
            except (FileNotFoundError, ValueError):
                continue  # the file is gone: nothing to fingerprint
            EvidenceFile.objects.create(document_id=document_id, unit_id=unit_id, sha256=digest.hexdigest())


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0004_role_permissions'),
        ('core', '0005_wagtail_defaults_in_vietnamese'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtaildocs', '0014_alter_document_file_size'),
    ]

    operations = [
        migrations.CreateModel(
            name='EvidenceCollection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('collection', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.collection', verbose_name='collection')),
                ('unit', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'evidence collection',
                'verbose_name_plural': 'evidence collections',
            },
        ),
        migrations.CreateModel(
            name='EvidenceFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('document', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='wagtaildocs.document', verbose_name='document')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'evidence file',
                'verbose_name_plural': 'evidence files',
                'constraints': [models.CheckConstraint(condition=models.Q(('sha256__regex', '^[0-9a-f]{64}$')), name='evidence_sha256_is_hex')],
            },
        ),
        migrations.RunPython(fingerprint_existing, migrations.RunPython.noop),
    ]
