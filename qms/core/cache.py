"""
The database cache of development and production without Redis (`DATABASE_CACHE` in the settings).

Django's database cache writes each entry in a transaction of its own (a count of the table, a read of the
key, an insert or update: five statements), and its `set_many` is one `set` after another. A dashboard seen
for the first time after a change keeps 16 panels: 80 statements, and on SQLite 16 turns of the write lock.
Here `set_many` writes them all in one transaction (qms.core.freshness gathers a request's entries).
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if len(data) < 2:
            return super().set_many(data, timeout, version)
        rows = {self.make_and_validate_key(key, version=version): value for key, value in data.items()}
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = [
            (key, base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), expires)
            for key, value in rows.items()
        ]
        # The SQL names only the configured table, quoted; keys and values are parameters (as Django's own).
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            count = cursor.fetchone()[0]
            if count + len(rows) > self._max_entries:
                self._cull(db, cursor, tz_now().replace(microsecond=0), count + len(rows))
            try:
                with transaction.atomic(using=db):
                    key_column = quote_name("cache_key")
                    marks = ", ".join(["%s"] * len(rows))
                    cursor.execute(f"DELETE FROM {table} WHERE {key_column} IN ({marks})", list(rows))  # noqa: S608
                    cursor.executemany(
                        f"INSERT INTO {table} ({key_column}, {quote_name('value')}, {quote_name('expires')}) "  # noqa: S608
                        "VALUES (%s, %s, %s)",
                        encoded,
                    )
            except DatabaseError:
                # Another process wrote one of these keys meanwhile: as Django's own `set`, a cache write
                # may fail; the entries are computed again when next asked for.
                return list(data)
        return []
