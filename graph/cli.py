"""The ``autokg`` command: parses options, calls one library function, prints the result.

Errors from the library (``graph.errors``) become one line per problem on stderr and exit
status 1; usage errors exit 2; Ctrl-C exits 130.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import AutokgError

class AutokgGroup(click.Group):
    """Turns library errors into one line per problem and exit 1, Ctrl-C into exit 130."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AutokgError as error:
            for line in error.lines():
                click.echo(line if line.startswith("[") else f"Error: {line}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def output_options(func):
    """--format and --out, shared by every command that prints rows."""
    @click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]),
                  default="table", show_default=True, help="Output format (json: SPARQL 1.1 results JSON).")
    @click.option("-o", "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
                  help="Write to this file instead of standard output.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


def _emit(text: str, out: Path | None) -> None:
    if out:
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    else:
        click.echo(text, nl=False)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} must look like name=value", param_hint="--param")
        params[name.strip()] = value
    return params


class Context:
    """The store named by --store, opened on first use and closed at exit."""

    def __init__(self, spec: str | None, preload: tuple[str, ...], registry: str | None):
        self.spec, self.preload, self.registry = spec, preload, registry
        self._store = None

    def store(self):
        if self._store is None:
            from .loading import load_paths
            from .store import open_store

            self._store = open_store(self.spec)
            click.get_current_context().call_on_close(self._store.close)
            if self.preload:
                load_paths(self._store, self.preload, self.registry)
        return self._store


pass_context = click.make_pass_decorator(Context)


@click.group(cls=AutokgGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Example:\n\n\b\n  autokg load examples/\n  autokg query who-talked-to-whom")
@click.version_option(__version__, prog_name="autokg")
@click.option("--store", "store_spec", metavar="STORE", envvar="AUTOKG_STORE",
              help="A directory (embedded Oxigraph, default ./.autokg/store), 'memory', "
                   "or an http(s) SPARQL endpoint. Also $AUTOKG_STORE.")
@click.option("--load", "preload", multiple=True, type=click.Path(exists=True),
              help="Load these articles before the command runs (handy with --store memory).")
@click.option("--registry", type=click.Path(exists=True, dir_okay=False),
              help="Entity registry for --load (default: entities.yaml beside the articles).")
@click.pass_context
def cli(ctx, store_spec, preload, registry):
    """autokg: a knowledge graph of automaker–policy relations, from annotated news articles.

    Load annotated articles, then ask who talked to whom, which tariffs hit which
    carmakers, and which claims are denied or contested, each answer traceable to the
    sentence it came from.
    """
    ctx.obj = Context(store_spec, preload, registry)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--registry", type=click.Path(exists=True, dir_okay=False),
              help="Entity registry (default: entities.yaml beside the articles or in a parent folder).")
@pass_context
def load(ctx: Context, paths, registry):
    """Load annotated articles (YAML files or folders) into the store.

    Every file is checked first; if any has a problem, nothing is written. Loading an
    article again replaces it.

    Example:

    \b
      autokg load examples/
      autokg --store memory load examples/articles/2026-02-xiaomi-denies-ford-talks.yaml
    """
    from .loading import compile_paths, load_paths

    store = ctx.store()
    show_bar = sys.stderr.isatty()
    if show_bar:
        _, compiled = compile_paths(paths, registry)
        with click.progressbar(length=len(compiled), label="Loading", file=sys.stderr) as bar:
            report = load_paths(store, paths, registry, progress=bar.update)
    else:
        report = load_paths(store, paths, registry)
    click.echo(f"Loaded {len(report.articles)} article(s), {report.events} claim(s) into {store.description}; "
               f"quads {report.quads_before} -> {report.quads_after}.")


@cli.command()
@click.argument("article_ids", nargs=-1, required=True)
@pass_context
def remove(ctx: Context, article_ids):
    """Remove articles (by article id) and everything they asserted.

    Example:

    \b
      autokg remove xiaomi-denies-ford-talks-2026-02
    """
    from .loading import remove_articles

    found = remove_articles(ctx.store(), article_ids)
    missing = sorted(set(article_ids) - set(found))
    click.echo(f"Removed {len(found)} article(s).")
    if missing:
        raise AutokgError(f"not in the store: {', '.join(missing)}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--registry", type=click.Path(exists=True, dir_okay=False), help="Entity registry.")
@click.option("--no-shacl", is_flag=True, help="Check format and references only, skip the SHACL shapes.")
def validate(paths, registry, no_shacl):
    """Check annotated articles without loading them: format, quotes, references, SHACL.

    Prints one line per problem as [ERROR] file:line message; exits 1 if any is an error.

    Example:

    \b
      autokg validate examples/
    """
    from .validation import validate_paths

    count, problems = validate_paths(paths, registry, shacl=not no_shacl)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = [p for p in problems if p.severity == "ERROR"]
    click.echo(f"Checked {count} article(s): {len(errors)} error(s), {len(problems) - len(errors)} warning(s).")
    if errors:
        sys.exit(1)


@cli.command()
@click.argument("query")
@click.option("-e", "--expression", "inline", is_flag=True,
              help="QUERY is SPARQL text rather than a query name or file.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeatable); values are bound as typed RDF terms.")
@output_options
@pass_context
def query(ctx: Context, query, inline, params, fmt, out):
    """Run a query: a name from queries/ (see `autokg queries`), a .rq file, or -e SPARQL.

    Example:

    \b
      autokg query who-talked-to-whom --format csv
      autokg query entity-profile --param entity=Xiaomi
      autokg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from .queries import QueryFile, run_query
    from .tabular import format_result

    if inline:
        query = QueryFile("inline", "-e", "inline query", "", query)
    result = run_query(ctx.store(), query, _params(params))
    _emit(format_result(result, fmt), out)


@cli.command("queries")
@output_options
def list_queries_command(fmt, out):
    """List the query files with their descriptions and parameters.

    Example:

    \b
      autokg queries
    """
    import pyoxigraph as ox

    from .queries import list_queries
    from .store import QueryResult
    from .tabular import format_result

    rows = []
    for q in list_queries():
        params = ", ".join(f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in q.parameters)
        rows.append([ox.Literal(q.name), ox.Literal(q.title), ox.Literal(params), ox.Literal(q.description)])
    result = QueryResult(["name", "title", "parameters", "description"], rows)
    _emit(format_result(result, fmt), out)


@cli.command()
@output_options
@pass_context
def stats(ctx: Context, fmt, out):
    """Count what the store holds: articles, entities, claims by kind and by status.

    Example:

    \b
      autokg stats
    """
    from .queries import internal_query
    from .tabular import format_result

    store = ctx.store()
    result = store.query(internal_query("stats.rq"))
    import pyoxigraph as ox

    result.rows.append([ox.Literal("quads"), ox.Literal("all"), ox.Literal(str(store.quad_count()))])
    _emit(format_result(result, fmt), out)


_EXPORT_SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld",
                    ".json": "jsonld", ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv"}


@cli.command()
@click.option("-f", "--format", "fmt",
              type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "graphml", "gexf", "csv"]),
              help="RDF: ttl, nt (one graph), nq, trig, jsonld (all graphs); actor graph: graphml, gexf, "
                   "csv (edge list). Default: from the --out suffix, else trig.")
@click.option("-g", "--graph", "graph_name", metavar="ARTICLE_ID",
              help="Only this article's named graph (or ontology, registry, derived, or a graph IRI).")
@click.option("-o", "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
@pass_context
def export(ctx: Context, fmt, graph_name, out):
    """Export the store as RDF (Turtle, N-Triples, N-Quads, TriG, JSON-LD) or the actor graph.

    RDF is streamed from the store, so a large store is never held in memory. Turtle and
    N-Triples hold one graph: give --graph, or use trig, nq or jsonld for all of them.
    graphml, gexf and csv write the actor graph (entities and the claims linking them).

    Example:

    \b
      autokg export --out everything.trig
      autokg export --format ttl --graph xiaomi-denies-ford-talks-2026-02
      autokg export --format csv --out edges.csv
    """
    from contextlib import nullcontext

    from .export import RDF_FORMATS, export_actor_graph, export_rdf

    if fmt is None:
        fmt = _EXPORT_SUFFIXES.get(out.suffix.lower(), "trig") if out else "trig"
    if graph_name and fmt not in RDF_FORMATS:
        raise click.UsageError("--graph selects an RDF graph; the actor graph formats cover the whole store")
    store = ctx.store()
    target = out.with_name(out.name + ".part") if out else None
    try:
        with (open(target, "wb") if target else nullcontext(click.get_binary_stream("stdout"))) as output:
            if fmt in RDF_FORMATS:
                export_rdf(store, output, fmt, graph_name)
            else:
                export_actor_graph(store, output, fmt)
        if target:
            os.replace(target, out)
    finally:
        if target and target.exists():
            target.unlink()
    if out:
        click.echo(f"Wrote {out} ({fmt}).", err=True)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@pass_context
def serve(ctx: Context, port):
    """Serve the embedded store read-only as a SPARQL 1.1 endpoint on 127.0.0.1.

    Runs the Oxigraph server over the store folder until Ctrl-C (then exits 0). Queries
    see all named graphs as the default graph, like autokg's own. While it runs, loads
    into the same store wait for it to stop ("store is in use").

    Example:

    \b
      autokg serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 5' http://127.0.0.1:7878/query
    """
    from .serve import read_only_endpoint
    from .store import store_spec

    spec = store_spec(ctx.spec)
    with read_only_endpoint(spec, port) as endpoint:
        click.echo(f"Serving {spec} read-only at {endpoint.url} (SPARQL 1.1 query endpoint); Ctrl-C stops.")
        try:
            status = endpoint.wait()
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)
            return
    raise AutokgError(f"the Oxigraph server stopped on its own (exit status {status})")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``autokg`` command."""
    cli.main(args=argv, prog_name="autokg")


if __name__ == "__main__":
    main()
