"""The ``autokg`` command: parses options, calls one library function, prints the result.

Errors from the library (``graph.errors``) become one line per problem on stderr and exit
status 1; usage errors exit 2; Ctrl-C exits 130. ``-`` stands for standard input or output
wherever a path does (see ``graph.outputs``); --quiet and --verbose set how much is said
on stderr besides the results.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import AutokgError, OutputError
from .outputs import check_output, is_stdio, open_output, output_path, write_text


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
        except BrokenPipeError:
            # The reader went away (`autokg export --out - | head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)


def _check_output(ctx, param, value):
    """Refuse an output path that cannot be written before any work is done (one line, exit 1)."""
    if value is not None:
        check_output(value)
    return value


# An output file; "-" is standard output.
OUTPUT = click.Path(allow_dash=True, path_type=Path)  # a folder is refused by check_output, in one line


def out_option(help: str = "Write to this file instead of standard output ('-': standard output).",
               required: bool = False):
    """-o/--out, shared by every command that writes a file: '-' means standard output, and a
    missing folder is one clear error before the work starts."""
    return click.option("-o", "--out", type=OUTPUT, required=required, callback=_check_output, help=help)


# Rows a listing shows on a terminal before it says how to see the rest.
PAGE_ROWS = 40


def output_options(func):
    """--format and --out, and paging (--limit, --offset, --all), shared by every command that prints rows."""
    @click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]),
                  default="table", show_default=True, help="Output format (json: SPARQL 1.1 results JSON).")
    @out_option()
    @click.option("--limit", type=click.IntRange(min=0), metavar="N",
                  help=f"Show at most N rows (on a terminal the first {PAGE_ROWS} are shown; files and pipes get all).")
    @click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N", help="Skip the first N rows.")
    @click.option("--all", "all_rows", is_flag=True, help="Show every row, also on a terminal.")
    @functools.wraps(func)
    def wrapper(*args, limit=None, offset=0, all_rows=False, **kwargs):
        click.get_current_context().meta["autokg.page"] = (limit, offset, all_rows)
        return func(*args, **kwargs)
    return wrapper


def reader_options(func):
    """The options ``load`` and ``validate`` share: how to read the annotation files."""
    from .readers import FORMATS  # not graph.loading: every command would import the loader

    @click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="auto", show_default=True,
                  help="Annotation format; auto goes by suffix: .yaml ours, .ann brat, .json Label Studio "
                       "(or a Federal Register document), .xmi INCEpTION, .tsv WebAnno TSV, .jsonl doccano, "
                       ".csv a Global Trade Alert export.")
    @click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
                  help="YAML file mapping a tool's type, role, relation and attribute names to the ontology.")
    @click.option("--lenient", is_flag=True, help="Skip annotations whose type is not mapped (with a warning).")
    @click.option("--publisher", metavar="ID",
                  help="Publisher of documents whose format has none (brat without .meta.yaml, doccano...).")
    @click.option("--predictions", is_flag=True,
                  help="Label Studio: load a task's prediction (model output) when it has no annotation.")
    @click.option("--strict", is_flag=True,
                  help="Treat warnings (probable duplicate entities, type conflicts...) as errors.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def _reader_kwargs(options: dict) -> dict:
    return {"format": options["fmt"], "mapping": options["mapping"], "lenient": options["lenient"],
            "publisher": options["publisher"], "predictions": options["predictions"], "strict": options["strict"]}


def _emit(text: str, out: Path | None) -> None:
    if is_stdio(out):
        click.echo(text, nl=False)
    else:
        write_text(text, out)


def _verbosity() -> int:
    """-1 with --quiet, 1 with --verbose, else 0."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(Context) if ctx else None
    return obj.verbosity if obj else 0


def _say(text: str, err: bool = True) -> None:
    """A note on what was done ("Wrote FILE"): on stderr, left out with --quiet."""
    if _verbosity() >= 0:
        click.echo(text, err=err)


def _detail(text: str) -> None:
    """A detail for --verbose only: what is opened, read and how long it took."""
    if _verbosity() > 0:
        click.echo(text, err=True)


def _page(result, on_terminal: bool):
    """The rows to show: --offset and --limit, and on a terminal only the first page unless
    --all; with the footer that says how many rows there are and how to see the rest."""
    ctx = click.get_current_context(silent=True)
    limit, offset, all_rows = ctx.meta.get("autokg.page", (None, 0, False)) if ctx else (None, 0, False)
    total = len(result.rows)
    if limit is None and on_terminal and not all_rows:
        limit = PAGE_ROWS
    if all_rows:
        limit = None
    end = total if limit is None else min(total, offset + limit)
    if offset == 0 and end == total:
        return result, None
    from .store import QueryResult

    shown = QueryResult(result.variables, result.rows[offset:end], result.boolean)
    if end <= offset:
        footer = f"No rows after --offset {offset}: there are {total:,}."
    else:
        footer = f"Rows {offset + 1:,}-{end:,} of {total:,}."
        if end < total:
            footer += f" Next page: --offset {end}; every row: --all (or -o FILE, or a pipe)."
    return shown, footer if on_terminal or end < total or offset else None


def _show(result, fmt: str, out: Path | None) -> None:
    """Write a result in ``fmt``; a table shown on a terminal fits its width, while files
    and pipes get whole cells. On a terminal a listing shows its first page and says how
    many rows there are; files and pipes get every row (see ``_page``)."""
    from .tabular import format_result

    on_terminal = is_stdio(out) and sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if on_terminal else None
    if result.variables:
        result, footer = _page(result, on_terminal)
    else:
        footer = None
    _emit(format_result(result, fmt, width), out)
    if footer:
        click.echo(footer, err=True)


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

    def __init__(self, spec: str | None, preload: tuple[str, ...], registry: str | None, verbosity: int = 0):
        self.spec, self.preload, self.registry = spec, preload, registry
        self.verbosity = verbosity
        self._store = None

    def store(self, write: bool = False):
        """The store; ``write`` for commands that change it. Others open it read-only, beside
        any writer, and never create it."""
        if self._store is None:
            from .loading import load_paths
            from .store import open_store

            self._store = open_store(self.spec, read_only=not (write or self.preload))
            click.get_current_context().call_on_close(self._store.close)
            _detail(f"Opened {self._store.description}.")
            if self.preload:
                load_paths(self._store, self.preload, self.registry)
        return self._store


pass_context = click.make_pass_decorator(Context)


# Shell completion (click's: see the README): query names, parameters, entity and article ids.
def _completion_store(ctx) -> str | None:
    return ctx.find_root().params.get("store_spec")


def _complete_query(ctx, param, incomplete):
    from click.shell_completion import CompletionItem

    from .completion import query_names

    names = query_names(incomplete)
    return [CompletionItem(n) for n in names] or [CompletionItem(incomplete, type="file")]


def _complete_param(ctx, param, incomplete):
    from .completion import entity_ids, query_parameters

    name, sep, value = incomplete.partition("=")
    # While --param waits for its value, click leaves the query name among the unparsed args.
    parameters = query_parameters(ctx.params.get("query") or next(iter(ctx.args), ""))
    if not sep:
        return [f"{p}=" for p, _ in parameters if p.startswith(name)]
    if dict(parameters).get(name) == "entity":
        return [f"{name}={e}" for e in entity_ids(_completion_store(ctx), value)]
    return []


def _complete_entity(ctx, param, incomplete):
    from .completion import entity_ids

    return entity_ids(_completion_store(ctx), incomplete)


def _complete_article(ctx, param, incomplete):
    from .completion import article_ids

    return article_ids(_completion_store(ctx), incomplete)


def _complete_graph(ctx, param, incomplete):
    from .completion import article_ids
    from .export import GRAPH_NAMES

    return [g for g in GRAPH_NAMES if g.startswith(incomplete)] + article_ids(_completion_store(ctx), incomplete)

# An input file or folder; "-" is standard input.
INPUT = click.Path(exists=True, allow_dash=True)


@contextlib.contextmanager
def _article_inputs(paths: tuple[str, ...], fmt: str, registry: str | None):
    """The paths to read, the registry, and the temporary file that holds standard input
    when '-' is given (else None), so that problems in it can be reported as '-:LINE'. From
    standard input, the registry is --registry, else entities.yaml here or in a parent folder."""
    if "-" not in paths:
        yield list(paths), registry, None
        return
    if paths.count("-") > 1:
        raise click.BadParameter("'-' (standard input) can be given only once", param_hint="PATHS")
    if fmt == "brat":
        raise click.UsageError("brat needs a .txt beside each .ann: give the files, not '-'")
    from .loading import find_registry
    from .outputs import stdin_as_file
    from .readers.yamlsource import MAX_FILE_BYTES

    others = [p for p in paths if p != "-"]
    if registry is None:
        found = find_registry(others or [Path.cwd()])
        registry = str(found) if found else None
    suffix = {"auto": ".yaml", "yaml": ".yaml", "labelstudio": ".json"}.get(fmt, f".{fmt}")
    with stdin_as_file(suffix, limit=MAX_FILE_BYTES) as saved:
        yield [str(saved) if p == "-" else p for p in paths], registry, saved


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
@click.option("-q", "--quiet", is_flag=True, help="Print only results, warnings and errors: no progress bar, no notes.")
@click.option("-v", "--verbose", is_flag=True, help="Also say on stderr what is opened and read, and how long it took.")
@click.pass_context
def cli(ctx, store_spec, preload, registry, quiet, verbose):
    """autokg: a knowledge graph of automaker–policy relations, from annotated news articles.

    Load annotated articles, then ask who talked to whom, which tariffs hit which
    carmakers, and which claims are denied or contested, each answer traceable to the
    sentence it came from.
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose do not go together")
    ctx.obj = Context(store_spec, preload, registry, -1 if quiet else 1 if verbose else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=INPUT)
@click.option("--registry", type=click.Path(exists=True, dir_okay=False),
              help="Entity registry (default: entities.yaml beside the articles or in a parent folder).")
@reader_options
@pass_context
def load(ctx: Context, paths, registry, **reader):
    """Load annotated articles (YAML, brat, Label Studio, INCEpTION, doccano; files or folders) into the store.

    Every file is checked first; if any has a problem, nothing is written. Loading an
    article again replaces it. '-' reads one article from standard input.

    Example:

    \b
      autokg load examples/
      cat article.yaml | autokg load -
      autokg --store memory load examples/articles/2026-02-xiaomi-denies-ford-talks.yaml
      autokg load --mapping examples/mappings/brat-news.yaml brat-news-tutorial/
    """
    from .loading import load_paths
    from .outputs import relabel

    started = time.perf_counter()
    fmt = reader["fmt"]
    with _article_inputs(paths, fmt, registry) as (paths, registry, stdin):
        store = ctx.store(write=True)
        show_bar = sys.stderr.isatty() and ctx.verbosity >= 0
        options = _reader_kwargs(reader)
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
        warnings = relabel(report.warnings, stdin) if stdin else report.warnings
    for warning in warnings:
        click.echo(str(warning), err=True)
    _detail(f"Registry: {report.registry or 'none'}; articles: {', '.join(report.articles) or 'none'}.")
    _say(f"Loaded {len(report.articles)} article(s), {report.events} claim(s) into {store.description}; "
         f"quads {report.quads_before} -> {report.quads_after}.", err=False)
    _detail(f"Took {time.perf_counter() - started:.2f} s.")


@cli.command()
@click.argument("article_ids", nargs=-1, required=True, shell_complete=_complete_article)
@pass_context
def remove(ctx: Context, article_ids):
    """Remove articles (by article id) and everything they asserted.

    Example:

    \b
      autokg remove xiaomi-denies-ford-talks-2026-02
    """
    from .loading import remove_articles

    found = remove_articles(ctx.store(write=True), article_ids)
    missing = sorted(set(article_ids) - set(found))
    _say(f"Removed {len(found)} article(s).", err=False)
    if missing:
        raise AutokgError(f"not in the store: {', '.join(missing)}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=INPUT)
@click.option("--registry", type=click.Path(exists=True, dir_okay=False), help="Entity registry.")
@click.option("--no-shacl", is_flag=True, help="Check format and references only, skip the SHACL shapes.")
@reader_options
def validate(paths, registry, no_shacl, **reader):
    """Check annotated articles without loading them: format, quotes, references, SHACL.

    Prints one line per problem as [ERROR] file:line message; exits 1 if any is an error.
    '-' reads one article from standard input.

    Example:

    \b
      autokg validate examples/
      autokg validate - < article.yaml
    """
    from .outputs import relabel
    from .validation import validate_paths

    with _article_inputs(paths, reader["fmt"], registry) as (paths, registry, stdin):
        count, problems = validate_paths(paths, registry, shacl=not no_shacl, **_reader_kwargs(reader))
        problems = relabel(problems, stdin) if stdin else problems
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = [p for p in problems if p.severity == "ERROR"]
    _say(f"Checked {count} article(s): {len(errors)} error(s), {len(problems) - len(errors)} warning(s).", err=False)
    if errors:
        sys.exit(1)


@cli.command()
@click.argument("query", shell_complete=_complete_query)
@click.option("-e", "--expression", "inline", is_flag=True,
              help="QUERY is SPARQL text rather than a query name or file.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", shell_complete=_complete_param,
              help="Bind a query parameter (repeatable); values are bound as typed RDF terms.")
@output_options
@pass_context
def query(ctx: Context, query, inline, params, fmt, out):
    """Run a query: a name from queries/ (see `autokg queries`), a .rq file, '-' (the query
    on standard input), or -e SPARQL.

    Example:

    \b
      autokg query who-talked-to-whom --format csv
      autokg query entity-profile --param entity=Xiaomi
      autokg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      echo 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | autokg query -
    """
    from .queries import QueryFile, find_query, run_query

    started = time.perf_counter()
    query = QueryFile("inline", "-e", "inline query", "", query) if inline else find_query(query)
    _detail(f"Query {query.name} ({query.path}); parameters: {', '.join(params) or 'none'}.")
    result = run_query(ctx.store(), query, _params(params))
    _show(result, fmt, out)
    _detail(f"{len(result.rows)} row(s) in {time.perf_counter() - started:.2f} s.")


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


def _collapsed_graph(ctx: Context, since, until, exclude_denied, kinds):
    """The collapsed actor graph (weighted pairs) that centrality, communities and brokers need."""
    from .analysis import collapsed_actor_graph

    return collapsed_actor_graph(ctx.store(), since=since, until=until, exclude_denied=exclude_denied, kinds=kinds)


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

    Betweenness is exact up to 2,000 entities; above that it is estimated from 300
    sampled sources with a fixed seed, so the numbers repeat from run to run, and a note
    on stderr says so.

    Example:

    \b
      autokg analyze centrality --format csv
    """
    from .analysis import centrality

    G = _collapsed_graph(ctx, since, until, exclude_denied, kinds)
    _emit_rows(centrality(G), fmt, out,
               ["entity", "type", "neighbours", "claims", "degree", "betweenness", "eigenvector", "id"])
    _note_estimate(G)


def _note_estimate(G) -> None:
    """Say on stderr when betweenness is estimated (the rows on stdout stay plain data)."""
    from .analysis import betweenness_note

    note = betweenness_note(G)
    if note:
        click.echo(f"Note: {note}.", err=True)


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

    _emit_rows(communities(_collapsed_graph(ctx, since, until, exclude_denied, kinds)), fmt, out,
               ["community", "size", "hub", "members", "modularity"])


@analyze.command("brokers")
@graph_options
@output_options
@pass_context
def analyze_brokers(ctx: Context, since, until, exclude_denied, kinds, fmt, out):
    """Brokers: entities on the shortest paths between others, and the communities they reach.

    Sorted by betweenness; ties go to the entity reaching more communities, then to the
    less constrained one (Burt's constraint: low means contacts that do not know each other).
    Betweenness is exact up to 2,000 entities; above that it is estimated from 300 sampled
    sources with a fixed seed, and a note on stderr says so.

    Example:

    \b
      autokg analyze brokers
    """
    from .analysis import brokers

    G = _collapsed_graph(ctx, since, until, exclude_denied, kinds)
    _emit_rows(brokers(G), fmt, out,
               ["entity", "type", "betweenness", "communities_reached", "neighbours", "effective_size",
                "constraint", "id"])
    _note_estimate(G)


@analyze.command("path")
@click.argument("source", shell_complete=_complete_entity)
@click.argument("target", shell_complete=_complete_entity)
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
    from .analysis import path_between

    _emit_rows(path_between(ctx.store(), source, target, since, until, exclude_denied, kinds), fmt, out,
               ["step", "from", "to", "link", "status", "date", "article", "quote", "claims", "claim"])


@analyze.command("ego")
@click.argument("entity", shell_complete=_complete_entity)
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
    from .analysis import ego_of

    _emit_rows(ego_of(ctx.store(), entity, depth, since, until, exclude_denied, kinds), fmt, out,
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
@out_option("The file to write ('-': standard output).", required=True)
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
    with output_path(out, f".{fmt}") as path:
        write_actor_graph(G, path, fmt)
    _say(f"Wrote {out}: {G.number_of_nodes()} entities, {G.number_of_edges()} claim edges.")


@cli.command()
@out_option("The HTML file to write ('-': standard output).", required=True)
@click.option("--focus", metavar="ENTITY", shell_complete=_complete_entity,
              help="Show only the network around this entity.")
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
    from .views import view_details, write_view

    G = _actor_graph(ctx, since, until, exclude_denied, kinds, evidence=True)
    if focus:
        G = ego_graph(G, resolve_node(ctx.store(), G, focus), depth)
    aliases, articles = view_details(ctx.store())
    with output_path(out, ".html") as path:
        report = write_view(G, path, title=title, max_nodes=max_nodes, names=aliases, articles=articles)
    _say(f"Wrote {out}: {report.nodes} entities, {report.edges} claim edges"
         + (f" (of {report.total_nodes})" if report.nodes < report.total_nodes else "") + ".")


_EXPORT_SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld",
                    ".json": "jsonld", ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv"}


@cli.command()
@click.option("-f", "--format", "fmt",
              type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "graphml", "gexf", "csv"]),
              help="RDF: ttl, nt (one graph), nq, trig, jsonld (all graphs); actor graph: graphml, gexf, "
                   "csv (edge list). Default: from the --out suffix, else trig.")
@click.option("-g", "--graph", "graph_name", metavar="ARTICLE_ID", shell_complete=_complete_graph,
              help="Only this article's named graph, or ontology, registry, merged (the default graph: "
                   "every fact once, with the derived claim statuses), or a graph IRI.")
@out_option()
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
    from .export import RDF_FORMATS, export_actor_graph, export_rdf

    if fmt is None:
        fmt = "trig" if is_stdio(out) else _EXPORT_SUFFIXES.get(out.suffix.lower(), "trig")
    if graph_name and fmt not in RDF_FORMATS:
        raise click.UsageError("--graph selects an RDF graph; the actor graph formats cover the whole store")
    store = ctx.store()
    with open_output(out) as output:
        if fmt in RDF_FORMATS:
            export_rdf(store, output, fmt, graph_name)
        else:
            export_actor_graph(store, output, fmt)
    if not is_stdio(out):
        _say(f"Wrote {out} ({fmt}).")


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1 / ::1 lets other machines read the store.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run; then it is stopped (its worker process killed).")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Query worker processes (queries run at the same time).")
@click.option("--allow-service", is_flag=True, help="Let /sparql queries use SERVICE (fetch other endpoints).")
@pass_context
def serve(ctx: Context, port, host, timeout, workers, allow_service):
    """Serve the explorer and a read-only SPARQL 1.1 endpoint (/sparql) on 127.0.0.1.

    Search names, aliases and quotes; entity, claim and article pages with the evidence
    highlighted in the text; claim lists with facets, CSV and JSON; the questions as forms;
    the graph. Works with no network (every asset is in the package). Runs until Ctrl-C,
    SIGTERM or SIGHUP, then stops everything it started and exits 0. Queries that run
    longer than --timeout are stopped; SERVICE and writes are refused. While it serves an
    embedded store, loads into it wait ("store is in use"). Once it listens, it answers every
    question's listing and every question about the busiest entities in the background
    (/ready.json tells when), kept beside a store folder for the next start; a question page
    whose answer is not there within 0.4 s says it is being computed and reloads itself.

    Example:

    \b
      autokg serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 5' http://127.0.0.1:7878/sparql
    """
    from .store import store_spec
    from .web import serve_explorer

    spec = store_spec(ctx.spec)
    memory = ctx.store() if spec == "memory" else None

    def ready(url: str) -> None:
        click.echo(f"Serving {spec} read-only at {url} (explorer; SPARQL 1.1 endpoint {url}sparql); Ctrl-C stops.")
    report = serve_explorer(spec, host=host, port=port, timeout=timeout, workers=workers, allow_service=allow_service,
                            memory_store=memory, on_ready=ready)
    click.echo(f"Stopped ({report.stopped_by or 'server stopped'}).", err=True)


@cli.group("config")
def config_group():
    """Write annotation-tool configurations generated from the ontology.

    Annotate with the ontology's own types in brat, Label Studio or INCEpTION; what you
    annotate then loads with `autokg load` and no mapping file.

    Example:

    \b
      autokg config brat --out brat-data/
      autokg config labelstudio --out labeling-config.xml
      autokg config inception --out autokg-layers.json
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

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {out_dir}: {exc.strerror or exc}") from None
    for name, text in brat_config().items():
        write_text(text, out_dir / name)
        _say(f"Wrote {out_dir / name}.")


@config_group.command("labelstudio")
@out_option("Write the labeling config (XML) to this file instead of standard output.")
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
    if not is_stdio(out):
        _say(f"Wrote {out}.")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder):
    """Start a project in FOLDER: an entity registry, a mapping template and one annotated article.

    FOLDER is created if missing; files already there are never overwritten. The article
    is the reference story (Xiaomi denies a report of talks with Ford), so the commands
    below answer at once.

    Example:

    \b
      autokg init my-project
      cd my-project && autokg load articles/ && autokg query who-talked-to-whom
    """
    from .project import write_starter

    for path in write_starter(folder):
        _say(f"Wrote {path}.")
    _say(f"Next: cd {folder} && autokg load articles/ && autokg query who-talked-to-whom")


@config_group.command("inception")
@click.option("-o", "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the layer definitions (JSON) to this file instead of standard output.")
def config_inception(out):
    """Write INCEpTION layer definitions: Entity, Event (with role slots), Relation, Article.

    Import the file in the project's Settings -> Layers -> Import; export the
    annotations as UIMA CAS XMI, UIMA CAS JSON or WebAnno TSV 3.3 and load them with
    --format inception (XMI is recognised by its suffix) or webanno (.tsv).

    Example:

    \b
      autokg config inception --out autokg-layers.json
    """
    from .annotation_configs import inception_config

    _emit(inception_config(), out)
    if out:
        _say(f"Wrote {out}.")


@cli.command()
@click.option("--unresolved", is_flag=True,
              help="Only entities no registry entry covers (created by mentions), with possible duplicates.")
@output_options
@pass_context
def entities(ctx: Context, unresolved, fmt, out):
    """List entities with their sources (the registry, the articles that declare or mention them)
    and how many times each article's text names them.

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
        rows = [[ox.Literal(v) for v in (e.id, e.name, e.type, ", ".join(e.aliases), ", ".join(e.sources),
                                         str(e.mention_count), e.mentioned_in_text)]
                for e in list_entities(store)]
        result = QueryResult(["entity", "name", "type", "aliases", "sources", "mentions", "mentioned_in"], rows)
    _show(result, fmt, out)


@cli.command()
@click.argument("articles", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--publisher", help="Who publishes the article (registry id or name), if the file does not say.")
@click.option("--date", "pub_date", metavar="DATE",
              help="Publication date (YYYY-MM-DD, YYYY-MM or YYYY), if the file does not say.")
@click.option("--headline", help="The headline (default: the page title, or the text's first line).")
@click.option("--id", "article_id", help="The article id, a slug (default: from the file name).")
@click.option("--registry", type=click.Path(exists=True, dir_okay=False),
              help="Entity registry (default: entities.yaml beside the article or in a parent folder).")
@click.option("-f", "--format", "fmt", type=click.Choice(["yaml", "labelstudio", "brat"]), default="yaml",
              show_default=True, help="yaml: an autokg article; labelstudio: a task with predictions; brat: a .ann.")
@click.option("-o", "--out", help="Where to write ('-' for standard output; a folder for several articles). "
                                  "Default: beside the input, as .yaml, .json or .ann.")
@click.option("--evaluate", "evaluate_dir", type=click.Path(exists=True, file_okay=False),
              help="Instead: suggest every hand-annotated article in this folder from its text and print "
                   "precision and recall per kind.")
@click.option("--misses", is_flag=True, help="With --evaluate, also list every suggestion and annotation that did not match.")
@pass_context
def suggest(ctx: Context, articles, publisher, pub_date, headline, article_id, registry, fmt, out, evaluate_dir, misses):
    """Suggest a draft annotation for raw articles (.txt, or a saved .html page), offline.

    Entities come from the registry's names and aliases (new capitalised names get a type
    from cue words); claims from rules per event kind (graph/suggest/rules.yaml), each with
    its evidence quote, a score and the rule that fired. Items to check first are marked
    CHECK in the draft. A claim the store (--store) already holds, by its claim key, keeps
    that claim's id and names the article it comes from. Review the draft, then validate
    and load it.

    Example:

    \b
      autokg suggest --publisher global-times --out draft.yaml article.txt
      autokg suggest --format labelstudio --out tasks.json page.html
      autokg suggest --evaluate examples/
    """
    from .loading import find_registry
    from .registry import EntityIndex, read_registry

    if evaluate_dir:
        import pyoxigraph as ox

        from .store import QueryResult
        from .suggest import evaluate_dir as evaluate

        result = evaluate(evaluate_dir, registry)
        rows = [[ox.Literal(str(row[k])) for k in ("kind", "precision", "recall", "matched", "suggested", "annotated")]
                for row in result.rows()]
        _show(QueryResult(["kind", "precision", "recall", "matched", "suggested", "annotated"], rows), "table", None)
        if misses:
            for line in result.misses:
                click.echo(line)
        return
    if not articles:
        raise click.UsageError("give one or more article files (.txt or .html), or --evaluate DIR")
    from .suggest import suggest_paths

    registry_path = registry or find_registry(articles)
    index = read_registry(registry_path) if registry_path else EntityIndex()
    from .errors import StoreError

    try:
        store = ctx.store()              # read-only; a missing store is no error here
    except StoreError:
        store = None
    results = suggest_paths(articles, index, fmt=fmt, out=out, publisher=publisher, date=pub_date,
                            headline=headline, article_id=article_id, store=store)
    for written, draft in results:
        if isinstance(written, str):
            click.echo(written, nl=False)
        else:
            click.echo(f"Wrote {written}: {len(draft.events)} claim(s), {len(draft.entities)} entity declaration(s), "
                       f"{draft.uncertain} marked CHECK.", err=True)


@cli.command()
@click.option("--registry", type=click.Path(dir_okay=False),
              help="The entity registry whose judgement file (judgements.yaml beside it) to read and write "
                   "(default: --registry of autokg, or entities.yaml in this folder or a parent).")
@click.option("--judge", nargs=2, metavar="HANDLE VERDICT",
              help="Record a verdict (same, different, unsure) on an item; the next load obeys it.")
@output_options
@pass_context
def review(ctx: Context, registry, judge, fmt, out):
    """List merged claims and open candidates (claims and entities) with their evidence, or judge one.

    A merge is a claim that two articles state under different ids; a candidate is a pair
    that may be one claim or one entity. Judgements go to judgements.yaml beside the
    registry: `different` on a merge splits it, `same` on a candidate merges it (a name judged
    `same` becomes an alias) at the next load.

    Example:

    \b
      autokg review
      autokg review --judge "China's Ministry of Commerce=mofcom" same
      autokg load examples/
    """
    import pyoxigraph as ox

    from .identity.review import judge as record_judgement
    from .identity.review import review_items
    from .loading import find_registry
    from .store import QueryResult

    registry = registry or ctx.registry or find_registry(["."])
    if judge:
        if not registry:
            raise AutokgError("no entity registry here: give --registry (the judgement file goes beside it)")
        handle, verdict = judge
        record_judgement(registry, handle, verdict)
        click.echo(f"Judged {handle} {verdict!r} in {Path(registry).with_name('judgements.yaml')}; "
                   "load the articles again to apply it.")
        return
    items = review_items(ctx.store(), registry)
    columns = ["item", "handle", "a", "a_articles", "a_evidence", "b", "b_articles", "b_evidence", "why", "verdict"]
    rows = [[ox.Literal(v) for v in (
        i.kind, i.handle, i.left.label, "; ".join(i.left.articles), " | ".join(i.left.quotes[:2]),
        i.right.label, "; ".join(i.right.articles), " | ".join(i.right.quotes[:2]), i.why, i.verdict or "")]
        for i in items]
    _show(QueryResult(columns, rows), fmt, out)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``autokg`` command."""
    if os.environ.get("_AUTOKG_COMPLETE", "").startswith("bash"):
        from .completion import use_bash_line

        use_bash_line()
    cli.main(args=argv, prog_name="autokg")


if __name__ == "__main__":
    main()
