"""Django's SQLite backend, which first creates the folder the database file lives in.

Settings create nothing at import (a read-only deployment, a test, `manage.py check` must not
write to disk); the embedded database's folder (var/ by default) appears when it is needed.
"""

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        name = str(conn_params.get("database", ""))
        if name and name != ":memory:" and not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)
