"""The posting path's database calls: a read that is its own connection health
check, and an INSERT built once per model."""

import functools
from collections.abc import Callable
from typing import TypeVar

from django.db import (
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

T = TypeVar("T")
S = TypeVar("S")
M = TypeVar("M", bound=Model)


def read(alias: str, run: Callable[[BaseDatabaseWrapper], T]) -> T:
    """run(connection), replacing a connection the server dropped, once.

    CONN_HEALTH_CHECKS sends a "SELECT 1" before a request's first query, a round
    trip as long as the cached article page's whole query or a third of posting's
    reads. A read-only query can be the check itself: on a dropped connection it
    fails at once, and is run again on a new one. Inside a transaction it can't
    (closing would break the caller's transaction), so there the error stands.
    """
    connection = connections[alias]
    connection.health_check_done = True
    try:
        return run(connection)
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block:
            raise
        connection.close()
        return run(connection)


def per_vendor(build: Callable[..., S]) -> Callable[..., S]:
    """build(quote_name, *args), made once per kind of database and args, then
    kept: for SQL built from a model's names, on the hot paths.

    Called with a connection: connection_sql(connection, *args). Keyed by the
    connection's vendor, not the connection, which is one per thread (a
    threaded server such as runserver makes a new one for every request).
    """
    built: dict[tuple, S] = {}

    @functools.wraps(build)
    def get(connection: BaseDatabaseWrapper, *args: object) -> S:
        key = (connection.vendor, *args)
        try:
            return built[key]
        except KeyError:
            value = built[key] = build(connection.ops.quote_name, *args)
            return value

    return get


@per_vendor
def _insert_statement(
    quote: Callable[[str], str], model: type[Model], returning: bool
) -> tuple[str, tuple[Field, ...]]:
    """INSERT for every column but the generated primary key."""
    meta = model._meta
    fields = tuple(
        f
        for f in meta.local_concrete_fields
        if f is not meta.auto_field and not f.generated
    )
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Names from the model; every value is a parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    if returning:
        sql += f" RETURNING {quote(meta.auto_field.column)}"
    return sql, fields


def insert(obj: M, using: str | None = None) -> M:
    """Store a new instance, as obj.save() would, with SQL built once per model.

    For the posting path, where compiling Django's INSERT cost more than the
    rest of storing the comment. The values go through each field's pre_save()
    and get_db_prep_save(), as in save(); the model's pre_save and post_save
    signals are sent when anything listens. Only for a model whose primary key
    is an AutoField the database fills in: not a proxy, no multi-table
    inheritance.
    """
    model = type(obj)
    meta = model._meta
    if meta.parents or meta.proxy or meta.auto_field is None or obj.pk is not None:
        raise ValueError(f"insert() can't store {meta.label} {obj.pk!r}.")
    using = using or router.db_for_write(model, instance=obj)
    connection = connections[using]
    returning = connection.features.can_return_columns_from_insert
    sql, fields = _insert_statement(connection, model, returning)
    if pre_save.has_listeners(model):
        pre_save.send(
            sender=model, instance=obj, raw=False, using=using, update_fields=None
        )
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cur:
        cur.execute(sql, params)
        if returning:
            pk = cur.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cur, meta.db_table, meta.pk.column)
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
    if post_save.has_listeners(model):
        post_save.send(
            sender=model,
            instance=obj,
            created=True,
            update_fields=None,
            raw=False,
            using=using,
        )
    return obj
