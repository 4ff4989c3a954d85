"""
The Wagtail search backend of the project (WAGTAILSEARCH_BACKENDS): Wagtail's database backend
(SQLite FTS5 or PostgreSQL full text, chosen by the database) with every indexed text and every query
folded by `qms.core.text` (lower case, no diacritics, codes also without separators). So every search
that goes through it, the admin's page search and choosers, the documents', images' and snippets'
listings and the site's document search, finds "Kiểm soát" for "kiem soat" and "QT-06" for "qt06".
After changing what is folded, rebuild the index: `manage.py update_index`.
"""

import importlib

from modelsearch import query as search_query

from qms.core.text import search_terms, search_text


def fold_query(query):
    """A query string or parsed query (Wagtail's admin parses filters and "phrases") folded like the index."""
    if isinstance(query, str):
        return search_terms(query)
    if isinstance(query, search_query.PlainText):
        return search_query.PlainText(search_terms(query.query_string), operator=query.operator, boost=query.boost)
    if isinstance(query, search_query.Phrase):
        return search_query.Phrase(search_terms(query.query_string))
    if isinstance(query, search_query.Fuzzy):
        return search_query.Fuzzy(search_terms(query.query_string), operator=query.operator, unaccent=query.unaccent)
    if isinstance(query, search_query.Boost):
        return search_query.Boost(fold_query(query.subquery), query.boost)
    if isinstance(query, search_query.And | search_query.Or):
        return type(query)([fold_query(sub) for sub in query.subqueries])
    if isinstance(query, search_query.Not):
        return search_query.Not(fold_query(query.subquery))
    return query  # MatchAll


def _fold_indexed_text(module) -> None:
    """Fold what the backend module's ObjectIndexer writes to the index. Its `prepare_value` is where
    every field's value (title, autocomplete and body alike) becomes text, in both backends."""
    indexer = module.ObjectIndexer
    if getattr(indexer, "qms_folds", False):
        return
    prepare_value = indexer.prepare_value

    def folded_prepare_value(self, value):
        return search_text(prepare_value(self, value))

    indexer.prepare_value = folded_prepare_value
    indexer.qms_folds = True


def SearchBackend(params):  # noqa: N802 (Wagtail imports a backend module's `SearchBackend` callable)
    from modelsearch.backends.database import SearchBackend as database_backend

    backend = database_backend(params)
    backend_class = type(backend)
    _fold_indexed_text(importlib.import_module(backend_class.__module__))

    class FoldingSearchBackend(backend_class):
        def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
            return super()._search(query_compiler_class, fold_query(query), model_or_queryset, **kwargs)

    backend.__class__ = FoldingSearchBackend
    return backend


def folded_filter(queryset, fields, query: str):
    """`queryset` narrowed to the rows whose `fields` hold every word of `query`, both folded alike: the
    admin listings of models outside the search index (units, memberships, clauses: hundreds of rows),
    where Wagtail would filter with `icontains`, which is accent-sensitive."""
    words = search_terms(query).split()
    keep = [
        pk
        for pk, *values in queryset.values_list("pk", *fields)
        if all(word in search_text(" ".join(str(v) for v in values if v is not None)) for word in words)
    ]
    return queryset.filter(pk__in=keep)
