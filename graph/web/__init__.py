"""The explorer: ``autokg serve`` as a read-only web application over any store.

Search, entity / claim / article pages with the evidence highlighted in the article text,
claim lists with facets (CSV and JSON at stable URLs), the query files as forms, the
graph view, and the SPARQL 1.1 endpoint at ``/sparql``. Starlette + Jinja2 on uvicorn;
queries run in killable worker processes with a time limit.
"""

from .pool import QueryPool, QueryTimeout
from .search import SearchIndex, fold
from .server import ServeReport, serve_explorer

__all__ = ["serve_explorer", "ServeReport", "QueryPool", "QueryTimeout", "SearchIndex", "fold"]
