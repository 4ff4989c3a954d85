"""Rebuild the monthly cells of the dossier table (`qms.dossiers.months`) from the dossiers themselves."""

from django.core.management.base import BaseCommand
from django.db import transaction

from qms.dossiers import months
from qms.dossiers.models import DossierMonth


class Command(BaseCommand):
    help = "Tính lại các ô tháng của hồ sơ (Biểu 06 theo tháng) từ bảng hồ sơ."

    def handle(self, *args, **options):
        with transaction.atomic():
            months.rebuild()
        self.stdout.write(f"{DossierMonth.objects.count():,} ô tháng.")
