"""
`manage.py dossier_report --from D --to D [--unit CODE ...] [--group-by unit|field|procedure]
[--as-of-units D] --format json|csv|xlsx|pdf -o FILE`: Biểu 06 from the command line.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from qms.core.models import Unit
from qms.reporting import engine, renderers


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        try:
            return datetime.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError as exc:
            raise CommandError(f"Not a date: {text} (use YYYY-MM-DD or dd/mm/yyyy)") from exc


class Command(BaseCommand):
    help = "Compute Biểu 06 (dossier handling results) and write it as JSON, CSV, XLSX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True)
        parser.add_argument("--to", dest="date_to", required=True)
        parser.add_argument("--unit", action="append", default=[], help="Unit code (repeat for several); default all.")
        parser.add_argument("--group-by", choices=["unit", "field", "procedure"], default="unit")
        parser.add_argument("--as-of-units", help="Roll merged units up to those in force on this date.")
        parser.add_argument(
            "--issuer", help="Code of the unit the PDF/XLSX is issued by (default: the body in force today for the units)."
        )
        parser.add_argument("--format", choices=["json", "csv", "xlsx", "pdf"], required=True)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, date_from, date_to, unit, group_by, as_of_units, format, output, issuer=None, **options):
        units = None
        if unit:
            found = {u.code: u for u in Unit.objects.filter(code__in=unit)}
            missing = [c for c in unit if c not in found]
            if missing:
                raise CommandError(f"Unknown unit code(s): {', '.join(missing)}")
            units = [found[c] for c in unit]
        try:
            period = engine.Period(_date(date_from), _date(date_to))
        except ValueError as exc:
            raise CommandError("--to is before --from") from exc
        report = engine.bieu06(period=period, units=units, group_by=group_by,
                               as_of=_date(as_of_units) if as_of_units else None)
        chosen = None
        if issuer:
            chosen = Unit.objects.filter(code=issuer).first()
            if chosen is None:
                raise CommandError(f"Unknown unit code: {issuer}")
        writers = {
            "json": renderers.json_bytes, "csv": renderers.csv_bytes,
            "xlsx": lambda r: renderers.xlsx(r, issuer=chosen), "pdf": lambda r: renderers.pdf(r, issuer=chosen),
        }
        with open(output, "wb") as handle:
            handle.write(writers[format](report))
        self.stdout.write(f"Biểu 06 {period.label()}: {len(report.rows)} rows, {report.totals['c3']} dossiers → {output}")
