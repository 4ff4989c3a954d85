"""
The database cache of development and production without Redis (`DATABASE_CACHE` in the settings).

Django's database cache writes each entry in a transaction of its own (a count of the table, a read of the
key, an insert or update: five statements), and its `set_many` is one `set` after another. A dashboard seen
for the first time after a change keeps 16 panels: 80 statements, and on SQLite 16 turns of the write lock.
Here an entry is written by one statement (`INSERT … ON CONFLICT DO UPDATE`, which SQLite and PostgreSQL
both have), `set_many` writes them all in one transaction (qms.core.freshness gathers a request's entries),
and the table is counted for culling once per hundredth of its size written, not on every write: it may
outgrow `MAX_ENTRIES` by about 1 % per process between counts.
"""

from __future__ import annotations

import base64
import pickle
from contextlib import nullcontext
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._written_since_count = 0

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
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
        key_column, value_column, expires_column = (quote_name(name) for name in ("cache_key", "value", "expires"))
        with connection.cursor() as cursor:
            self._written_since_count += len(rows)
            if self._written_since_count * 100 >= self._max_entries:
                self._written_since_count = 0
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - the configured table, quoted
                count = cursor.fetchone()[0]
                if count + len(rows) > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), count + len(rows))
            # The SQL names only the configured table and its columns, quoted; keys and values are parameters.
            upsert = (
                f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = excluded.{value_column}, "
                f"{expires_column} = excluded.{expires_column}"
            )
            # One transaction for several rows (one turn of SQLite's write lock); a savepoint inside another
            # transaction, so that a failed write does not break it.
            together = len(rows) > 1 or connection.in_atomic_block
            try:
                with transaction.atomic(using=db) if together else nullcontext():
                    cursor.executemany(upsert, encoded)
            except DatabaseError:
                # As Django's own `set`, a cache write may fail (another process holding the lock too long):
                # the entries are computed again when next asked for.
                return list(data)
        return []
