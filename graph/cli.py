"""The ``autokg`` command: parses options, calls one library function, prints the result.

Errors from the library (``graph.errors``) become one line per problem on stderr and exit
status 1; usage errors exit 2; Ctrl-C exits 130.
"""

from __future__ import annotations

import functools
import os
import shutil
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


def _show(result, fmt: str, out: Path | None) -> None:
    """Write a result in ``fmt``; a table shown on a terminal fits its width, while files
    and pipes get whole cells."""
    from .tabular import format_result

    width = shutil.get_terminal_size().columns if out is None and sys.stdout.isatty() else None
    _emit(format_result(result, fmt, width), out)


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
@click.option("--format", "fmt", type=click.Choice(["auto", "yaml", "brat", "labelstudio"]), default="auto",
              show_default=True, help="Annotation format; auto: .yaml ours, .ann+.txt brat, .json Label Studio.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
              help="YAML file mapping a tool's type, role, relation and attribute names to the ontology.")
@click.option("--lenient", is_flag=True, help="Skip annotations whose type is not mapped (with a warning).")
@pass_context
def load(ctx: Context, paths, registry, fmt, mapping, lenient):
    """Load annotated articles (YAML, brat or Label Studio; files or folders) into the store.

    Every file is checked first; if any has a problem, nothing is written. Loading an
    article again replaces it.

    Example:

    \b
      autokg load examples/
      autokg --store memory load examples/articles/2026-02-xiaomi-denies-ford-talks.yaml
      autokg load --mapping examples/mappings/brat-news.yaml brat-news-tutorial/
    """
    from .loading import load_paths

    store = ctx.store()
    show_bar = sys.stderr.isatty()
    options = {"format": fmt, "mapping": mapping, "lenient": lenient}
    if show_bar:
        # The bar starts once the files are checked and the number of articles is known.
        bars: list = []

        def advance(done: int, total: int) -> None:
            if not bars:
                bars.append(click.progressbar(length=total, label="Loading", file=sys.stderr).__enter__())
            bars[0].update(done)

        try:
            report = load_paths(store, paths, registry, progress=advance, **options)
        finally:
            if bars:
                bars[0].__exit__(None, None, None)
    else:
        report = load_paths(store, paths, registry, **options)
    for warning in report.warnings:
        click.echo(str(warning), err=True)
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
@click.option("--format", "fmt", type=click.Choice(["auto", "yaml", "brat", "labelstudio"]), default="auto",
              show_default=True, help="Annotation format; auto: .yaml ours, .ann+.txt brat, .json Label Studio.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
              help="YAML file mapping a tool's type, role, relation and attribute names to the ontology.")
@click.option("--lenient", is_flag=True, help="Skip annotations whose type is not mapped (with a warning).")
def validate(paths, registry, no_shacl, fmt, mapping, lenient):
    """Check annotated articles without loading them: format, quotes, references, SHACL.

    Prints one line per problem as [ERROR] file:line message; exits 1 if any is an error.

    Example:

    \b
      autokg validate examples/
    """
    from .validation import validate_paths

    count, problems = validate_paths(paths, registry, shacl=not no_shacl, format=fmt, mapping=mapping,
                                     lenient=lenient)
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

    if inline:
        query = QueryFile("inline", "-e", "inline query", "", query)
    result = run_query(ctx.store(), query, _params(params))
    _show(result, fmt, out)


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

    rows = []
    for q in list_queries():
        params = ", ".join(f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in q.parameters)
        rows.append([ox.Literal(q.name), ox.Literal(q.title), ox.Literal(params), ox.Literal(q.description)])
    result = QueryResult(["name", "title", "parameters", "description"], rows)
    _show(result, fmt, out)


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

    store = ctx.store()
    result = store.query(internal_query("stats.rq"))
    import pyoxigraph as ox

    result.rows.append([ox.Literal("quads"), ox.Literal("all"), ox.Literal(str(store.quad_count()))])
    _show(result, fmt, out)


def graph_options(func):
    """--since, --until, --exclude-denied and --kind: which claims make the actor graph."""
    @click.option("--since", metavar="DATE", help="Only claims dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
    @click.option("--until", metavar="DATE", help="Only claims dated on or before DATE.")
    @click.option("--exclude-denied", is_flag=True, help="Leave out claims whose status is denied.")
    @click.option("--kind", "kinds", multiple=True, metavar="KIND",
                  help="Only claims of this kind or relation (repeatable), e.g. negotiation, opposes.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


def _actor_graph(ctx: Context, since, until, exclude_denied, kinds, evidence: bool = False):
    """The actor graph for an analysis command; ``evidence`` for those that show quotes."""
    from .analysis import actor_graph

    return actor_graph(ctx.store(), since=since, until=until, exclude_denied=exclude_denied, kinds=kinds,
                       evidence=evidence)


def _emit_rows(rows: list[dict], fmt: str, out: Path | None, columns: list[str] | None = None) -> None:
    from .analysis import to_result

    _show(to_result(rows, columns), fmt, out)


@cli.group(cls=AutokgGroup)
def analyze():
    """Network analysis of the actor graph: talks, centrality, brokers, paths, ego networks.

    The actor graph is built from the store: entities are nodes, each claimed interaction
    (talks, statements, invitations, denials, policy actions, stances) is an edge with
    its status, date, articles and evidence quotes.

    Example:

    \b
      autokg analyze talks
      autokg analyze brokers --exclude-denied
      autokg analyze path Xiaomi "He Yadong"
    """


@analyze.command("talks")
@graph_options
@output_options
@pass_context
def analyze_talks(ctx: Context, since, until, exclude_denied, kinds, fmt, out):
    """Who talked to whom: pairs weighted by their number of claims, with status and sources.

    Example:

    \b
      autokg analyze talks
      autokg analyze talks --exclude-denied --format md
    """
    from .analysis import talks

    _emit_rows(talks(_actor_graph(ctx, since, until, exclude_denied, kinds)), fmt, out,
               ["party_a", "party_b", "claims", "kinds", "topics", "status", "reported_by", "denied_by",
                "dates", "articles"])


@analyze.command("centrality")
@graph_options
@output_options
@pass_context
def analyze_centrality(ctx: Context, since, until, exclude_denied, kinds, fmt, out):
    """Degree, betweenness and eigenvector centrality of every entity, most between first.

    Betweenness is exact up to 1,000 entities; above that it is estimated from 300
    sampled sources with a fixed seed, so the numbers repeat from run to run.

    Example:

    \b
      autokg analyze centrality --format csv
    """
    from .analysis import centrality

    _emit_rows(centrality(_actor_graph(ctx, since, until, exclude_denied, kinds)), fmt, out,
               ["entity", "type", "neighbours", "claims", "degree", "betweenness", "eigenvector", "id"])


@analyze.command("communities")
@graph_options
@output_options
@pass_context
def analyze_communities(ctx: Context, since, until, exclude_denied, kinds, fmt, out):
    """Communities of entities (Louvain, weighted by claims, fixed seed), largest first.

    Example:

    \b
      autokg analyze communities
    """
    from .analysis import communities

    _emit_rows(communities(_actor_graph(ctx, since, until, exclude_denied, kinds)), fmt, out,
               ["community", "size", "hub", "members", "modularity"])


@analyze.command("brokers")
@graph_options
@output_options
@pass_context
def analyze_brokers(ctx: Context, since, until, exclude_denied, kinds, fmt, out):
    """Brokers: entities on the shortest paths between others, and the communities they reach.

    Sorted by betweenness; ties go to the entity reaching more communities, then to the
    less constrained one (Burt's constraint: low means contacts that do not know each other).

    Example:

    \b
      autokg analyze brokers
    """
    from .analysis import brokers

    _emit_rows(brokers(_actor_graph(ctx, since, until, exclude_denied, kinds)), fmt, out,
               ["entity", "type", "betweenness", "communities_reached", "neighbours", "effective_size",
                "constraint", "id"])


@analyze.command("path")
@click.argument("source")
@click.argument("target")
@graph_options
@output_options
@pass_context
def analyze_path(ctx: Context, source, target, since, until, exclude_denied, kinds, fmt, out):
    """The shortest connection between two entities, with the evidence for every hop.

    Each hop names the claim that links the two (the best supported one when there are
    several), its status and date, the article and the quoted sentence.

    Example:

    \b
      autokg analyze path Xiaomi "He Yadong"
      autokg analyze path Ford BYD --exclude-denied
    """
    from .analysis import path, resolve_node

    G = _actor_graph(ctx, since, until, exclude_denied, kinds, evidence=True)
    a, b = resolve_node(ctx.store(), G, source), resolve_node(ctx.store(), G, target)
    _emit_rows(path(G, a, b), fmt, out,
               ["step", "from", "to", "link", "status", "date", "article", "quote", "claims", "claim"])


@analyze.command("ego")
@click.argument("entity")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many hops from the entity.")
@graph_options
@output_options
@pass_context
def analyze_ego(ctx: Context, entity, depth, since, until, exclude_denied, kinds, fmt, out):
    """An entity's ego network: every claim within --depth hops of it, nearest first.

    Example:

    \b
      autokg analyze ego Xiaomi --depth 2
    """
    from .analysis import ego, resolve_node

    G = _actor_graph(ctx, since, until, exclude_denied, kinds)
    _emit_rows(ego(G, resolve_node(ctx.store(), G, entity), depth), fmt, out,
               ["hops", "source", "relation", "target", "kind", "status", "date", "articles"])


@analyze.command("timeline")
@click.option("--by", type=click.Choice(["year", "month", "day"]), default="month", show_default=True,
              help="Length of each time slice.")
@graph_options
@output_options
@pass_context
def analyze_timeline(ctx: Context, by, since, until, exclude_denied, kinds, fmt, out):
    """Time slices of the network: per period, its claims, actors, newcomers and relations.

    A claim without a date of its own counts at the date of the first article stating it.

    Example:

    \b
      autokg analyze timeline --by month
      autokg analyze timeline --since 2026-01
    """
    from .analysis import timeline

    _emit_rows(timeline(_actor_graph(ctx, since, until, exclude_denied, kinds), by), fmt, out,
               ["period", "claims", "interactions", "actors", "new_actors", "relations", "denied", "most_active"])


@analyze.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf"]), required=True,
              help="GraphML (yEd, Cytoscape, networkx) or GEXF (Gephi).")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write.")
@graph_options
@pass_context
def analyze_export(ctx: Context, fmt, out, since, until, exclude_denied, kinds):
    """Write the actor graph as GraphML or GEXF, with node and edge attributes.

    One edge per claim: kind, relation, status, dates, articles and evidence quotes.

    Example:

    \b
      autokg analyze export --format gexf --out actors.gexf
      autokg analyze export --format graphml --out actors.graphml --exclude-denied
    """
    from .analysis import write_actor_graph

    G = _actor_graph(ctx, since, until, exclude_denied, kinds, evidence=True)
    write_actor_graph(G, out, fmt)
    click.echo(f"Wrote {out}: {G.number_of_nodes()} entities, {G.number_of_edges()} claim edges.")


@cli.command()
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The HTML file to write.")
@click.option("--focus", metavar="ENTITY", help="Show only the network around this entity.")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="With --focus: how many hops around the entity.")
@click.option("--max-nodes", type=click.IntRange(min=1), help="Keep only the N best connected entities.")
@click.option("--title", help="Page title (default: autokg actor graph).")
@graph_options
@pass_context
def view(ctx: Context, out, focus, depth, max_nodes, title, since, until, exclude_denied, kinds):
    """Write an interactive HTML view of the actor graph: one file that works offline.

    Colour and shape by entity type, size by degree, edges labelled by relation, denied
    and contested claims drawn dashed; hover for the evidence quote, date, status and
    article; filter by entity type, relation and status in the page.

    Example:

    \b
      autokg view --out actors.html
      autokg view --out xiaomi.html --focus Xiaomi --depth 2 --exclude-denied
    """
    from .analysis import ego_graph, resolve_node
    from .views import write_view

    G = _actor_graph(ctx, since, until, exclude_denied, kinds, evidence=True)
    if focus:
        G = ego_graph(G, resolve_node(ctx.store(), G, focus), depth)
    report = write_view(G, out, title=title, max_nodes=max_nodes)
    click.echo(f"Wrote {out}: {report.nodes} entities, {report.edges} claim edges"
               + (f" (of {report.total_nodes})" if report.nodes < report.total_nodes else "") + ".")


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
        with (open(target, "wb") if target else nullcontext(sys.stdout.buffer)) as output:
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


@cli.group("config")
def config_group():
    """Write annotation-tool configurations generated from the ontology.

    Annotate with the ontology's own types in brat or Label Studio; what you annotate
    then loads with `autokg load` and no mapping file.

    Example:

    \b
      autokg config brat --out brat-data/
      autokg config labelstudio --out labeling-config.xml
    """


@config_group.command("brat")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write annotation.conf and visual.conf into (created if missing).")
def config_brat(out_dir):
    """Write brat's annotation.conf and visual.conf: entities, events with roles, relations, attributes.

    Put them in the brat data folder that holds the .txt files to annotate.

    Example:

    \b
      autokg config brat --out brat-data/
    """
    from .annotation_configs import brat_config

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in brat_config().items():
        _emit(text, out_dir / name)
        click.echo(f"Wrote {out_dir / name}.")


@config_group.command("labelstudio")
@click.option("-o", "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the labeling config (XML) to this file instead of standard output.")
def config_labelstudio(out):
    """Write a Label Studio labeling config: every class as a Label, every role as a Relation.

    Paste it into the project's Settings -> Labeling Interface -> Code; export the
    annotations as JSON (not JSON-MIN, which drops relations).

    Example:

    \b
      autokg config labelstudio --out labeling-config.xml
    """
    from .annotation_configs import labelstudio_config

    _emit(labelstudio_config(), out)
    if out:
        click.echo(f"Wrote {out}.", err=True)


@cli.command()
@click.option("--unresolved", is_flag=True,
              help="Only entities no registry entry covers (created by mentions), with possible duplicates.")
@output_options
@pass_context
def entities(ctx: Context, unresolved, fmt, out):
    """List entities with their sources: the registry and the articles that declare or mention them.

    With --unresolved, list the entities that article mentions created (no registry entry
    matched them by id, QID, alias or name), each with possible duplicates (similar name,
    related type), so you can add aliases to the registry.

    Example:

    \b
      autokg entities
      autokg entities --unresolved --format csv
    """
    import pyoxigraph as ox

    from .resolution import list_entities, unresolved_entities
    from .store import QueryResult

    store = ctx.store()
    if unresolved:
        rows = [[ox.Literal(v) for v in (e.id, e.name, e.type, ", ".join(e.sources), ", ".join(e.duplicates))]
                for e in unresolved_entities(store)]
        result = QueryResult(["entity", "name", "type", "articles", "possible_duplicates"], rows)
    else:
        rows = [[ox.Literal(v) for v in (e.id, e.name, e.type, ", ".join(e.aliases), ", ".join(e.sources))]
                for e in list_entities(store)]
        result = QueryResult(["entity", "name", "type", "aliases", "sources"], rows)
    _show(result, fmt, out)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``autokg`` command."""
    cli.main(args=argv, prog_name="autokg")


if __name__ == "__main__":
    main()
