"""Search on PostgreSQL's own full text: rows written with the records, queried in SQL."""

from portal.search.pg.service import PostgresSearch

__all__ = ["PostgresSearch"]
