"""Finding letters by their words: the stored search document and the query.

On PostgreSQL the document is a tsvector the database computes itself (a
generated column, so no code path can forget it) behind a GIN index: a search
reads the index, not the table. Elsewhere (SQLite, a first local run and the
test suite) the same column holds the lower-cased text, and a search asks for
every word in it: the same letters on small data, without stemming or ranking.
Both read a search as a web search engine does: every word, "a phrase" as
written, -word for none with it.
"""

import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.db.models.sql.compiler import SQLCompiler

# The text is English prose; names and addresses are not (no stemming for them).
TEXT_CONFIG = "english"
NAME_CONFIG = "simple"
WORD = re.compile(r"\w[\w@.+'-]*\w|\w", re.UNICODE)


class SearchDocument(Func):
    """The searchable form of some text columns: a weighted tsvector on
    PostgreSQL, the lower-cased text elsewhere. `texts` are prose (stemmed,
    weight A); `names` are names and addresses (as written, weight B)."""

    output_field = SearchVectorField()

    def __init__(self, *, texts: tuple[str, ...], names: tuple[str, ...] = ()):
        self.texts, self.names = texts, names
        super().__init__(*(F(column) for column in (*texts, *names)))

    def deconstruct(self) -> tuple:
        path = f"{__name__}.{type(self).__name__}"
        return path, (), {"texts": self.texts, "names": self.names}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchDocument) and (self.texts, self.names) == (
            other.texts,
            other.names,
        )

    def __hash__(self) -> int:
        return hash((self.texts, self.names))

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: object
    ) -> tuple[str, list]:
        vector = SearchVector(*self.texts, config=TEXT_CONFIG, weight="A")
        if self.names:
            vector = vector + SearchVector(*self.names, config=NAME_CONFIG, weight="B")
        return compiler.compile(vector.resolve_expression(compiler.query))

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: object
    ) -> tuple[str, list]:
        parts = []
        for column in (*self.texts, *self.names):
            parts += [Coalesce(F(column), Value("")), Value(" ")]
        text = Lower(Concat(*parts, output_field=TextField()))
        return compiler.compile(text.resolve_expression(compiler.query))


def words(query: str) -> list[str]:
    """The words a search asks for, as a reader typed them (quotes dropped, and
    the words it excludes with a minus left out)."""
    wanted, phrases, _ = parse(query)
    return wanted + [word for phrase in phrases for word in WORD.findall(phrase)]


def parse(query: str) -> tuple[list[str], list[str], list[str]]:
    """(words, "quoted phrases", -excluded words) of a search, lower-cased: the
    syntax of a web search engine, which PostgreSQL's websearch_to_tsquery reads
    the same way."""
    query = query.lower()
    phrases = [" ".join(WORD.findall(p)) for p in re.findall(r'"([^"]*)"', query)]
    rest = re.sub(r'"[^"]*"?', " ", query)
    wanted, without = [], []
    for token in rest.split():
        found = WORD.findall(token)
        (without if token.startswith("-") else wanted).extend(found)
    return wanted, [p for p in phrases if p], without


def match(query: str, *, vendor: str, field: str = "search_document") -> tuple:
    """(condition, rank) for rows whose document has every word of `query`, each
    "quoted phrase" as written and none of its -excluded words.

    The rank is the database's relevance where it ranks (PostgreSQL), else 0.
    """
    wanted, phrases, without = parse(query)
    if not wanted and not phrases:
        return Q(pk__in=[]), Value(0.0)
    if vendor == "postgresql":
        text = " ".join([*(f'"{phrase}"' for phrase in phrases), *wanted])
        found = SearchQuery(text, config=TEXT_CONFIG, search_type="websearch")
        # A name or an address is indexed as written: look for it unstemmed too.
        found |= SearchQuery(text, config=NAME_CONFIG, search_type="websearch")
        condition = Q(**{field: found})
        # Excluded in either form (inside the OR above, "-unsafe" unstemmed would
        # let through a text indexed as 'unsaf').
        for word in without:
            for config in (TEXT_CONFIG, NAME_CONFIG):
                condition &= ~Q(**{field: SearchQuery(word, config=config)})
        return condition, SearchRank(F(field), found)
    condition = Q()
    for term in wanted + phrases:
        condition &= Q(**{f"{field}__contains": term})
    for term in without:
        condition &= ~Q(**{f"{field}__contains": term})
    return condition, Value(0.0)
