#!/usr/bin/env python
"""
Server CPU of admin pages, in-process (issue 11). Not a test: run it by hand on a database with the demo.

    DATABASE_URL=sqlite:////path/demo.sqlite3 .venv/bin/python benchmarks/page_cpu.py [--role qlcl] [--requests 20]
        [--after-change] [--cells] URL...

e.g. `/admin/account/ /admin/reports/ /admin/readiness/ /admin/`. For each URL, as the demo user `--role`
(Django's test client, a forced login, the development settings with DEBUG off), one warm request, then
`--requests` more: prints the median and the least CPU time of this process per request, and the queries of
one more (counted apart: recording them costs CPU). No web server and no network, so it measures the page's own cost; `load_bench.py` measures
it under gunicorn with concurrent users.

A page seen again with the records unchanged is a kept page (qms.core.freshness); `--after-change` replaces the
records version before each request (outside the timing), so every request costs what the first view after a
change costs. `--cells` adds, for listing pages, the time spent rendering each column's cells.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--role", default="qlcl", help="a demo username (README: demo logins)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--after-change", action="store_true", help="a record changes before each request")
    parser.add_argument("--cells", action="store_true", help="time spent on each listing column's cells")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qms.core.freshness import records_changed

    cells = cell_timer() if args.cells else None

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.role))
    print(f"{'page':40} status  median ms  least ms  queries")
    for url in args.urls:
        client.get(url)  # the first request of a process fills Django's and Wagtail's caches
        times = []
        if cells:
            cells.clear()
        for _ in range(args.requests):
            if args.after_change:
                records_changed()
            started = time.process_time()
            response = client.get(url)
            times.append(time.process_time() - started)
        if args.after_change:
            records_changed()
        with CaptureQueriesContext(connection) as queries:  # apart: recording queries costs CPU of its own
            client.get(url)
        print(f"{url:40} {response.status_code:6}  {statistics.median(times) * 1000:9.0f}  {min(times) * 1000:8.0f}"
              f"  {len(queries.captured_queries):7}")
        for (kind, name), (count, seconds) in sorted((cells or {}).items(), key=lambda item: -item[1][1]):
            print(f"    cells of {name} ({kind}): {count // args.requests} a page, {seconds * 1000 / args.requests:.1f} ms a page")


def cell_timer() -> dict:
    """Times every table cell rendered (Wagtail's columns), by column: {(class, name): [cells, seconds]}."""
    from wagtail.admin.ui.tables import BaseColumn

    spent = {}
    render = BaseColumn.Cell.render_html

    def timed(cell, parent_context):
        started = time.process_time()
        try:
            return render(cell, parent_context)
        finally:
            entry = spent.setdefault((type(cell.column).__name__, cell.column.name), [0, 0.0])
            entry[0] += 1
            entry[1] += time.process_time() - started

    BaseColumn.Cell.render_html = timed
    return spent


if __name__ == "__main__":
    main()
