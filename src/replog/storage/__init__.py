"""Storage adapter: the schema (SQLAlchemy tables, Alembic migrations) and repositories.

Repositories speak SQL through :mod:`replog.storage.database`, a thin layer over the DB-API
drivers (stdlib ``sqlite3`` and psycopg 3). SQLAlchemy defines the schema and drives Alembic
but is imported only to create or migrate a database: importing it costs ~0.2 s, more than
the whole budget of logging a set from the command line.
"""
