"""The store: SQLAlchemy 2 models, Alembic migrations, engines and transactions."""
