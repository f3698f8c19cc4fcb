"""Kept answers: work done once and kept in Django's cache until it changes.

Part of the kernel: imports no app models. Whoever keeps something keys it by
a fingerprint of what it shows, read in one query (``newest_rows``): the
newest history row of each table it depends on. Every change writes one, so
a kept answer is never found again once anything it shows has changed.

People's names are not history. A rename starts a new generation of names
(``forget_names``), which every key includes (``names_generation``). With a
shared cache (Redis, ``REDIS_URL``) every process sees it at once; a
process's own memory only sees its own, which is why several app servers need
``REDIS_URL``.

If the cache cannot be reached, nothing is kept and everything is worked out
as if nothing ever had been.
"""

import hashlib
import json
import logging

from django.core.cache import cache
from django.db import connection
from django.db.models import DateTimeField, Value

logger = logging.getLogger(__name__)

#: The cache key of the generation of people's names.
NAMES_GENERATION = "kept:names"

#: The fields of a person's account that pages show.
NAME_FIELDS = {"username", "first_name", "last_name"}


def newest(rows):
    """A part of ``newest_rows``: the newest history id among ``rows``."""
    sql, params = rows.order_by().values("history_id").query.sql_with_params()
    return f"(SELECT MAX(rows.history_id) FROM ({sql}) rows)", params


def latest(rows):
    """A part of ``newest_rows``: the latest ``history_date`` among ``rows``
    (read it with ``moment``)."""
    sql, params = rows.order_by().values("history_date").query.sql_with_params()
    return f"(SELECT MAX(rows.history_date) FROM ({sql}) rows)", params


def moment(value):
    """A ``latest`` value as Django reads a date and time (SQLite gives text)."""
    expression = Value(value, output_field=DateTimeField())
    converters = connection.ops.get_db_converters(expression)
    for converter in converters + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value


def first(query):
    """A part of ``newest_rows``: the one value ``query`` (a slice) selects."""
    sql, params = query.query.sql_with_params()
    return f"({sql})", params


def count(query):
    """A part of ``newest_rows``: how many rows ``query`` has."""
    sql, params = query.order_by().values("pk").query.sql_with_params()
    return f"(SELECT COUNT(*) FROM ({sql}) rows)", params


def newest_rows(parts):
    """The values of ``parts`` (``newest``, ``latest``, ``first``, ``count``),
    in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(sql for sql, _ in parts),
            [value for _, params in parts for value in params],
        )
        return tuple(cursor.fetchone())


def names_generation():
    try:
        return cache.get(NAMES_GENERATION, 0)
    except Exception:  # noqa: BLE001 - a cache that is down must not break pages
        logger.warning("The cache could not be read", exc_info=True)
        return None


def forget_names(sender, instance, raw=False, update_fields=None, **kwargs):
    """After a person's account is saved with a name that may have changed,
    start a new generation: nothing kept before names them again."""
    if raw or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    try:
        cache.set(NAMES_GENERATION, cache.get(NAMES_GENERATION, 0) + 1, None)
    except Exception:  # noqa: BLE001
        logger.warning("The cache could not be told of a rename", exc_info=True)


def key_of(prefix, identity):
    """A cache key for ``identity`` (anything JSON can write, with dates)."""
    text = json.dumps(identity, sort_keys=True, default=str)
    return f"{prefix}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def kept(key, build, seconds):
    """What is kept under ``key``, or ``build()`` kept now for ``seconds``."""
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down must not break pages
        logger.warning("The cache could not be read", exc_info=True)
        return build()
    if value is not None:
        return value
    value = build()
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        logger.warning("The cache could not be written", exc_info=True)
    return value
