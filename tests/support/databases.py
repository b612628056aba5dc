"""A database of one test module's own, beside the session's shared one: for data (such as seed-scale's
city) that must not reach the snapshot every other test starts from. On PostgreSQL it is a second
database on the session's throwaway server; on SQLite a file in a temporary folder."""

from sqlalchemy import create_engine, make_url, text


def own_database(database_url: str, name: str, folder) -> str:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{folder / f'{name}.sqlite3'}"
    _run_on_server(url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def drop_own_database(database_url: str, name: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        _run_on_server(url, f'DROP DATABASE IF EXISTS "{name}"')


def _run_on_server(url, *statements: str) -> None:
    # CREATE / DROP DATABASE cannot run inside a transaction.
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()
