"""The causes the attack run of issue #18 found, one test (or a few) each, with the hostile
inputs built here: symbolic links, FIFOs, devices, colliding ids, a second registry, readers
beside a writer, inputs that were quadratic, a full disk (a 20 MB tmpfs), unreadable folders.

Items 6 (statuses written with each batch), 7 and 8 (serve) and the ``--out`` tracebacks of
item 12 are tested beside the code that fixes them. The signal tests (item 13) are in
tests/test_crash.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from graph import AnnotationError, compile_paths, load_paths, open_store
from graph.loading import find_article_files
from graph.readers.inputfile import UnreadableInput, read_input

from .conftest import EXAMPLES, REGISTRY, ROOT, SEED_ARTICLE
from .test_crash import graph_sizes

sys.path.insert(0, str(ROOT / "bench"))
import reliability as bench  # noqa: E402  (the benchmark's generator: the same inputs, smaller)

sys.path.pop(0)

BRAT_DOC = EXAMPLES / "articles" / "brat" / "2023-12-byd-hungary-szeged-plant"
BRAT_REGISTRY = EXAMPLES / "entities.yaml"
# (test name, input, result) for the README's Reliability table (tests/reliability_table.py).
CASES: list[tuple[str, str, str]] = []


def case(label: str, result: str):
    """Name a test as a row of the README's Reliability table: what it feeds autokg, what happens."""
    def mark(func):
        CASES.append((func.__name__, label, result))
        return func
    return mark


def autokg(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The autokg command in a child process. ``timeout`` only stops a hang from hanging the
    suite (a FIFO that blocks): no test waits for it."""
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def brat_pair(folder: Path, stem: str = "doc") -> Path:
    """The example brat document's .ann (and .meta.yaml) copied into ``folder``, without its .txt."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(BRAT_DOC.with_suffix(".ann"), folder / f"{stem}.ann")
    shutil.copy(BRAT_DOC.with_name(BRAT_DOC.name + ".meta.yaml"), folder / f"{stem}.meta.yaml")
    return folder / f"{stem}.ann"


def yaml_article(folder: Path, **article) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"article": {"id": "probe", "headline": "Probe", "publisher": "global-times", "date": "2026-02-01",
                       **article},
           "events": [{"id": "probe-talks", "type": "Negotiation", "participant": ["ford", "xiaomi"],
                       "evidence": "Ford held talks"}]}
    path = folder / "probe.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def one_error(result, path: Path, *words: str) -> None:
    """Exit 1 with one [ERROR] line naming ``path`` and saying ``words``; no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("[ERROR] ") for line in lines), result.stderr
    assert any(str(path) in line and all(w in line for w in words) for line in lines), result.stderr


# --- 2, 3, 4: one safe way to open an input file ---------------------------------------------

@case("a brat .txt, Label Studio .json or YAML article that is a symbolic link out of its folder",
      "exit 1, `[ERROR] file: file leads to '…', outside the article's folder`; links inside it load")
def test_symlinks_out_of_the_article_folder_are_refused(tmp_path):
    ann = brat_pair(tmp_path / "brat")
    (tmp_path / "brat" / "doc.txt").symlink_to("/etc/passwd")
    one_error(autokg("--store", "memory", "load", "--registry", str(BRAT_REGISTRY), str(ann)),
              tmp_path / "brat" / "doc.txt", "/etc/passwd", "outside the article's folder")
    secret = tmp_path / "secret.json"
    shutil.copy(EXAMPLES / "articles" / "labelstudio" / os.listdir(EXAMPLES / "articles" / "labelstudio")[0], secret)
    (tmp_path / "ls").mkdir()
    (tmp_path / "ls" / "export.json").symlink_to(secret)
    one_error(autokg("--store", "memory", "load", str(tmp_path / "ls")), tmp_path / "ls" / "export.json",
              "outside the article's folder")
    # A link that stays inside the folder is fine.
    inside = brat_pair(tmp_path / "inside")
    shutil.copy(BRAT_DOC.with_suffix(".txt"), tmp_path / "inside" / "real.txt")
    (tmp_path / "inside" / "doc.txt").symlink_to("real.txt")
    result = autokg("--store", "memory", "load", "--registry", str(BRAT_REGISTRY), str(inside))
    assert result.returncode == 0, result.stderr


@case("a device (`/dev/zero`, a device node in the folder) as article, text or export",
      "exit 1 before a byte is read: `file is a character device, not a regular file`")
def test_devices_are_refused_before_a_byte_is_read(tmp_path):
    for fmt in ("yaml", "labelstudio"):
        one_error(autokg("--store", "memory", "load", "--format", fmt, "/dev/zero"), Path("/dev/zero"),
                  "character device", "not a regular file")
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root (mknod); /dev/zero itself was checked above")
    folder = tmp_path / "dev"
    ann = brat_pair(folder)
    os.mknod(folder / "doc.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # the /dev/zero device
    one_error(autokg("--store", "memory", "load", "--registry", str(BRAT_REGISTRY), str(ann)), folder / "doc.txt",
              "character device")
    os.mknod(folder / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    article = yaml_article(tmp_path / "yaml", text_file="zero.txt")
    os.mknod(tmp_path / "yaml" / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    one_error(autokg("--store", "memory", "load", "--registry", str(REGISTRY), str(article)), article,
              "zero.txt", "character device")


@case("a FIFO as a `.yaml` in a folder, as `text_file`, as the brat `.txt` (load and validate)",
      "exit 1 at once (opened `O_NONBLOCK`, checked with `fstat`): `file is a FIFO`; the store lock is free")
def test_fifos_are_refused_and_never_block(tmp_path):
    store = tmp_path / "store"
    os.mkfifo(_mkdir(tmp_path / "folder") / "pipe.yaml")
    article = yaml_article(tmp_path / "text", text_file="pipe.txt")
    os.mkfifo(tmp_path / "text" / "pipe.txt")
    ann = brat_pair(tmp_path / "brat")
    os.mkfifo(tmp_path / "brat" / "doc.txt")
    for command in ("load", "validate"):
        prefix = ["--store", str(store)] if command == "load" else []
        one_error(autokg(*prefix, command, str(tmp_path / "folder")), tmp_path / "folder" / "pipe.yaml", "FIFO")
        one_error(autokg(*prefix, command, "--registry", str(REGISTRY), str(article)), article, "pipe.txt", "FIFO")
        one_error(autokg(*prefix, command, "--registry", str(BRAT_REGISTRY), str(ann)), tmp_path / "brat" / "doc.txt",
                  "FIFO")
    # Official records (.json, .csv, and .yaml again) are told apart by their fields: reading those
    # to tell must not block either.
    for name in ("record.json", "record.csv", "record.yaml"):
        os.mkfifo(_mkdir(tmp_path / "records") / name)
        one_error(autokg("--store", str(store), "load", str(tmp_path / "records" / name)),
                  tmp_path / "records" / name, "FIFO")
    # Nothing holds the store: the next load goes through.
    assert autokg("--store", str(store), "load", "--registry", str(REGISTRY), str(SEED_ARTICLE)).returncode == 0


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


@case("a file whose size `stat` does not tell (`/proc`), read past the limit",
      "refused once the read passes the limit, whatever `st_size` said")
def test_the_size_limit_holds_while_reading_not_only_by_stat():
    maps = Path("/proc/self/maps")
    if not maps.exists():
        pytest.skip("no /proc on this system")
    assert os.stat(maps).st_size == 0  # stat says empty; reading gives kilobytes
    with pytest.raises(UnreadableInput, match="more than"):
        read_input(maps, limit=64)
    assert len(read_input(maps)) > 64


# --- 5: one id normaliser that refuses collisions --------------------------------------------

@case("brat event ids that differ only by case or `_` (`E1`, `E1_`)",
      "exit 1, `E1_ and E1 (line 5) both become claim id …`, at the second one's line")
def test_brat_ids_that_reduce_to_one_slug_are_refused_with_both_lines(tmp_path):
    folder = _mkdir(tmp_path / "brat")
    (folder / "doc.txt").write_text("Ford held talks with Xiaomi. Ford met Xiaomi.", encoding="utf-8")
    (folder / "doc.ann").write_text(
        "T1\tAutomaker 0 4\tFord\nT2\tAutomaker 21 27\tXiaomi\nT3\tNegotiation 5 15\theld talks\n"
        "T4\tMeeting 34 37\tmet\nE1\tNegotiation:T3 participant:T1 participant2:T2\n"
        "E1_\tMeeting:T4 participant:T1 participant2:T2\n", encoding="utf-8")
    result = autokg("--store", "memory", "load", "--registry", str(REGISTRY), str(folder / "doc.ann"))
    one_error(result, folder / "doc.ann", "E1_ and E1 (line 5)", "both become claim id")
    assert f"{folder / 'doc.ann'}:6:" in result.stderr


def _labelstudio_task(folder: Path, regions: list[tuple[str, int, int, str]],
                      relations: list[tuple[str, str, str]]) -> Path:
    text = "Ford held talks with Xiaomi. Ford met Xiaomi."
    result = [{"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
               "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}} for rid, s, e, label in regions]
    result += [{"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [role]}
               for a, b, role in relations]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "export.json"
    path.write_text(json.dumps([{"id": 1, "data": {"text": text, "publisher": "global-times"},
                                 "annotations": [{"id": 1, "result": result}]}], indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize("first, second", [("EvA", "eva"), ("-Ev_A", "ev-a")])
def test_labelstudio_region_ids_that_reduce_to_one_slug_are_refused(tmp_path, first, second):
    path = _labelstudio_task(tmp_path, [("f", 0, 4, "Automaker"), ("x", 21, 27, "Automaker"),
                                        (first, 5, 15, "Negotiation"), (second, 34, 37, "Meeting")],
                             [(first, "f", "participant"), (first, "x", "participant"),
                              (second, "f", "participant"), (second, "x", "participant")])
    one_error(autokg("--store", "memory", "load", "--registry", str(REGISTRY), str(path)), path,
              "both become claim id")


CASES.append(("test_labelstudio_region_ids_that_reduce_to_one_slug_are_refused",
              "Label Studio region ids that differ only by case or punctuation (`EvA`, `eva`; `-Ev_A`, `ev-a`)",
              "exit 1, `E:eva and E:EvA (line …) both become claim id …`"))


@case("two Label Studio regions with one id",
      "exit 1, `region id … is used by two labelled regions (the first on line …)`")
def test_duplicate_labelstudio_region_ids_are_refused(tmp_path):
    path = _labelstudio_task(tmp_path, [("f", 0, 4, "Automaker"), ("f", 21, 27, "Automaker"),
                                        ("t", 5, 15, "Negotiation")],
                             [("t", "f", "participant")])
    result = autokg("--store", "memory", "load", "--registry", str(REGISTRY), str(path))
    one_error(result, path, "region id f is used by two labelled regions", "the first on line")


@case("roles written in Chinese (发言人, 部长) for one person and organisation",
      "two position nodes (a slug that would lose the text gets its hash)")
def test_non_ascii_roles_keep_distinct_position_nodes(tmp_path):
    folder = _mkdir(tmp_path / "roles")
    doc = {"article": {"id": "roles", "headline": "Roles", "publisher": "global-times", "date": "2026-02-01",
                       "text": "He Yadong spoke."},
           "entities": [{"id": "he-yadong", "type": "Person", "name": "He Yadong",
                         "positions": [{"organization": "mofcom", "role": "发言人"},
                                       {"organization": "mofcom", "role": "部长"}]}],
           "events": [{"id": "roles-statement", "type": "Statement", "speaker": "he-yadong",
                       "evidence": "He Yadong spoke"}]}
    (folder / "roles.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    store = open_store("memory")
    load_paths(store, [folder / "roles.yaml"], REGISTRY)
    rows = store.query("SELECT ?p ?role WHERE { ?p <https://w3id.org/autokg#holder> <https://w3id.org/autokg/id/he-yadong> ; "
                       "<https://w3id.org/autokg#role> ?role }").records()
    assert sorted(r["role"] for r in rows) == ["发言人", "部长"]
    assert len({r["p"] for r in rows}) == 2


@case("YAML ids that read as numbers (`id: 0x1f`, `1_000`)",
      "kept as written (`0x1f`); `1_000` refused: not a slug")
def test_yaml_numbers_do_not_change_ids(tmp_path):
    folder = _mkdir(tmp_path / "numbers")
    text = ("article:\n  id: 0x1f\n  headline: 1_000\n  publisher: global-times\n  date: 2026-02-01\n"
            "  text: Ford held talks with Xiaomi.\nevents:\n  - id: 0x2a\n    type: Negotiation\n"
            "    participant: [ford, xiaomi]\n    evidence: held talks\n")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    _, compiled = compile_paths([folder / "a.yaml"], REGISTRY)
    assert compiled[0].id == "0x1f"
    assert any(t.endswith('"1_000" .') for t in compiled[0].triples)
    assert any("/event/0x2a>" in t for t in compiled[0].triples)
    (folder / "a.yaml").write_text(text.replace("0x1f", "1_000", 1), encoding="utf-8")
    with pytest.raises(AnnotationError, match="article id '1_000' must be a slug such as '1-000'"):
        compile_paths([folder / "a.yaml"], REGISTRY)


# --- 1: registries that merge ---------------------------------------------------------------

@case("a second folder with its own `entities.yaml`, loaded after `examples/`",
      "registries merge: entities added, a changed one replaced with one `[WARNING]` each, none dropped")
def test_a_second_registry_adds_and_overrides_and_never_drops(tmp_path):
    store_dir = tmp_path / "store"
    assert autokg("--store", str(store_dir), "load", str(EXAMPLES)).returncode == 0
    before = autokg("--store", str(store_dir), "query", "who-talked-to-whom", "-f", "csv").stdout
    other = _mkdir(tmp_path / "other")
    (other / "entities.yaml").write_text(
        "entities:\n  - {id: acme-motors, type: Automaker, name: Acme Motors}\n"
        "  - {id: byd, type: Automaker, name: BYD Auto}\n", encoding="utf-8")
    (other / "a.yaml").write_text(
        "article:\n  id: acme-a\n  headline: Acme\n  publisher: acme-motors\n  date: 2026-03-01\n"
        "  text: Acme Motors held talks with BYD.\nevents:\n  - id: acme-byd-talks\n    type: Negotiation\n"
        "    participant: [acme-motors, byd]\n    evidence: held talks\n", encoding="utf-8")
    second = autokg("--store", str(store_dir), "load", str(other))
    assert second.returncode == 0, second.stderr
    # One warning, for the one entity both registries describe differently.
    assert second.stderr.splitlines() == [
        f"[WARNING] {other / 'entities.yaml'}:3: entity 'byd' was already in the store's registry, described "
        "otherwise (name \"BYD\" -> \"BYD Auto\"; country china -> (none)): this registry's description replaces it"]
    after = autokg("--store", str(store_dir), "query", "who-talked-to-whom", "-f", "csv").stdout
    assert set(before.splitlines()[1:]) - set(after.replace("BYD Auto", "BYD").splitlines()) == set()
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    profile = autokg("--store", str(store_dir), "query", "entity-profile", "--param", "entity=Xiaomi")
    assert profile.returncode == 0 and "denial" in profile.stdout, profile.stderr


# --- 9 and #17: readers beside one writer; read commands never create a store ---------------

@case("`query`, `stats`, `export` while a writer holds the store",
      "answer (read-only, beside the writer); a second writer is still refused")
def test_readers_run_beside_a_writer(tmp_path):
    store_dir = tmp_path / "store"
    writer = open_store(str(store_dir))
    try:
        load_paths(writer, [SEED_ARTICLE], REGISTRY)  # the writer keeps the store (and its lock) open
        first = autokg("--store", str(store_dir), "query", "who-talked-to-whom", "-f", "csv")
        second = autokg("--store", str(store_dir), "stats", "-f", "csv")
        assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
        assert "Xiaomi" in first.stdout and "articles,all,1" in second.stdout
        busy = autokg("--store", str(store_dir), "load", "--registry", str(REGISTRY), str(SEED_ARTICLE))
        assert busy.returncode == 1 and "is in use" in busy.stderr  # still one writer at a time
    finally:
        writer.close()


@case("a read command where there is no store (`query` in an empty folder, `--store ftp://x`)",
      "exit 1, `no store at …; make one by loading articles: …`; no folder created")
def test_read_commands_never_create_a_store(tmp_path):
    empty = _mkdir(tmp_path / "empty")
    for args in (["query", "sources"], ["stats"], ["export", "--format", "nq"], ["analyze", "talks"]):
        result = autokg(*args, cwd=empty)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert result.stderr == ("Error: no store at .autokg/store; make one by loading articles: "
                                 "autokg --store .autokg/store load PATH\n"), args
        assert result.stdout == ""
    assert list(empty.iterdir()) == []
    result = autokg("--store", "ftp://x", "stats", cwd=empty)
    assert (result.returncode, result.stderr) == (
        1, "Error: store ftp://x: autokg stores are a folder, 'memory', or an http(s):// SPARQL endpoint\n")
    result = autokg("--store", "ftp://x", "load", str(SEED_ARTICLE), cwd=empty)
    assert result.returncode == 1
    assert list(empty.iterdir()) == []


# --- 10: linear-time readers ----------------------------------------------------------------

def _cpu_seconds(func, *args) -> float:
    start = time.process_time()
    func(*args)
    return time.process_time() - start


def _growth(make, small: int, large: int, tmp_path: Path) -> float:
    """How much longer (process CPU time, this process only) a 4x larger input takes: about
    4 for a linear reader, 16 for a quadratic one. A ratio of CPU times of one process does
    not depend on how busy the machine is, as wall-clock seconds would."""
    times = []
    for n in (small, large):
        folder = _mkdir(tmp_path / str(n))
        path = make(folder, n)
        times.append(min(_cpu_seconds(compile_paths, [path], bench.registry(folder)) for _ in range(2)))
    return times[1] / times[0]


@case("a Label Studio task of 2,100 -> 8,400 regions (was quadratic: 20,000 took 40 s)",
      "linear: 4x the regions, under 8x the CPU time (`make bench`: 20,000 regions within 2x of YAML)")
def test_labelstudio_import_is_linear_in_regions(tmp_path):
    growth = _growth(bench.write_labelstudio, 700, 2800, tmp_path)
    assert growth < 8, f"4x the regions took {growth:.1f}x the time"


@case("`validate` of a one-line text, 0.25 MB -> 1 MB (was 6 min for 10 MB)",
      "linear (N-Triples parsed by Oxigraph for SHACL): 10 MB in seconds")
def test_validate_is_linear_in_a_long_single_line(tmp_path):
    times = []
    for megabytes in (0.25, 1):
        folder = _mkdir(tmp_path / str(megabytes))
        start = time.process_time()
        bench.time_validate_long_line(megabytes, folder)
        times.append(time.process_time() - start)
    assert times[1] / times[0] < 8, times


@case("a brat span of 400,000 fragments (3.6 MB)",
      "exit 1, `T1: 400,000 fragments; a span may have at most 100`")
def test_a_brat_span_with_too_many_fragments_is_refused(tmp_path):
    folder = _mkdir(tmp_path / "fragments")
    text = "x " * 400_000
    (folder / "doc.txt").write_text(text, encoding="utf-8")
    offsets = ";".join(f"{2 * i} {2 * i + 1}" for i in range(400_000))
    (folder / "doc.ann").write_text(f"T1\tAutomaker {offsets}\t{'x ' * 3}\n", encoding="utf-8")
    (folder / "doc.meta.yaml").write_text("article:\n  publisher: global-times\n  date: 2026-02\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as refused:
        compile_paths([folder / "doc.ann"], REGISTRY)
    assert refused.value.lines() == [f"[ERROR] {folder / 'doc.ann'}:1: T1: 400,000 fragments; a span may have at "
                                     "most 100 (split the annotation)"]


# --- 11: a full disk ------------------------------------------------------------------------

@contextlib.contextmanager
def small_disk(megabytes: int = 20):
    """A tmpfs of ``megabytes`` MB, mounted for the test (needs root and mount rights)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a 20 MB tmpfs needs root")
    where = Path(tempfile.mkdtemp(prefix="autokg-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


@case("the disk fills during a load (a 20 MB tmpfs)",
      "`Error: cannot write to … the disk is full …`, exit 1; `stats`, `query` answer while full; whole articles only")
def test_a_full_disk_is_one_line_and_leaves_a_readable_store(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(corpus), "--articles", "600",
                    "--seed", "5"], check=True, capture_output=True)
    with small_disk() as disk:
        store_dir = disk / "store"
        assert autokg("--store", str(store_dir), "load", "--registry", str(REGISTRY),
                      str(SEED_ARTICLE)).returncode == 0
        ballast = disk / "ballast"
        with open(ballast, "wb") as handle:  # leave a few MB: the corpus needs far more
            handle.write(b"\0" * (int(shutil.disk_usage(disk).free) - 6 * 2**20))
        full = autokg("--store", str(store_dir), "load", str(corpus))
        assert full.returncode == 1, full.stdout + full.stderr
        assert "Traceback" not in full.stderr and len(full.stderr.splitlines()) == 1, full.stderr
        assert full.stderr.startswith(f"Error: cannot write to embedded store {store_dir}: the disk is full"), full.stderr
        assert "Loaded" not in full.stdout
        # While the disk is still full, the store opens and answers.
        stats = autokg("--store", str(store_dir), "stats", "-f", "csv")
        assert stats.returncode == 0, stats.stderr
        query = autokg("--store", str(store_dir), "query", "contested-claims", "-f", "csv")
        assert query.returncode == 0 and "Xiaomi" in query.stdout, query.stderr
        ballast.unlink()
        # With room again, the store holds the articles it had, whole, and takes loads again.
        store = open_store(str(store_dir))
        try:
            sizes = graph_sizes(store)
            assert "https://w3id.org/autokg/id/article/xiaomi-denies-ford-talks-2026-02" in sizes
            clean = open_store("memory")
            load_paths(clean, [corpus])
            expected = graph_sizes(clean)
            assert all(sizes[g] == expected[g] for g in sizes if "/article/synthetic" in g)
            assert load_paths(store, [SEED_ARTICLE], REGISTRY).articles == ["xiaomi-denies-ford-talks-2026-02"]
        finally:
            store.close()


# --- 12: the smaller causes -----------------------------------------------------------------

@case("a subfolder autokg may not read",
      "exit 1, `[ERROR] folder: cannot read folder: Permission denied`")
def test_an_unreadable_subfolder_is_an_error_not_silence(tmp_path):
    base = Path(tempfile.mkdtemp(prefix="autokg-unreadable-"))  # outside root's private /tmp/pytest-of-root
    try:
        sub = _mkdir(base / "sub")
        shutil.copy(SEED_ARTICLE, sub)
        os.chmod(base, 0o755)
        os.chmod(sub, 0)
        if os.geteuid() == 0:  # root reads any folder: look as nobody does
            os.seteuid(65534)
        try:
            with pytest.raises(AnnotationError) as refused:
                find_article_files([base])
        finally:
            if os.getuid() == 0:
                os.seteuid(0)
        assert refused.value.lines() == [f"[ERROR] {sub}: cannot read folder: Permission denied"]
    finally:
        os.chmod(base / "sub", 0o755)
        shutil.rmtree(base)


@case("an evidence `end` that does not match its quote",
      "exit 1, `evidence offsets 0..999 do not match the quote`")
def test_evidence_end_is_checked_against_the_quote(tmp_path):
    folder = _mkdir(tmp_path / "end")
    article = yaml_article(folder, text="Ford held talks with Xiaomi.")
    doc = yaml.safe_load(article.read_text(encoding="utf-8"))
    doc["events"][0]["evidence"] = {"quote": "Ford held talks", "start": 0, "end": 999}
    article.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"evidence offsets 0\.\.999 do not match the quote \(found at 0\.\.15\)"):
        compile_paths([article], REGISTRY)


@case("an article retyping a registry entity (Xiaomi as a Country)",
      "`[WARNING] file:line: entity 'xiaomi' is declared a Country here, but the registry has …`")
def test_an_article_retyping_a_registry_entity_warns(tmp_path):
    folder = _mkdir(tmp_path / "retype")
    article = yaml_article(folder, text="Ford held talks with Xiaomi.")
    doc = yaml.safe_load(article.read_text(encoding="utf-8"))
    doc["entities"] = [{"id": "xiaomi", "type": "Country"}, {"id": "ford", "type": "Company"}]
    article.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    warnings: list = []
    compile_paths([article], REGISTRY, warnings=warnings)
    line = article.read_text(encoding="utf-8").splitlines().index("- id: xiaomi") + 1
    # Company is broader than the registry's Automaker for Ford: a refinement, no warning.
    assert [str(w) for w in warnings] == [f"[WARNING] {article}:{line}: entity 'xiaomi' is declared a Country here, "
                                          "but the registry has 'xiaomi' as a Automaker"]


@case("a self-denial, a report of itself, reports relaying each other in a circle",
      "exit 1, `denies itself` / `reports relay each other in a circle: a -> b -> a`")
def test_self_denials_and_report_cycles_are_refused(tmp_path):
    folder = _mkdir(tmp_path / "cycles")
    text = "Ford held talks with Xiaomi, Xinhua said, citing the FT, citing Xinhua. Xiaomi denied it."
    events = [
        {"id": "c-talks", "type": "Negotiation", "participant": ["ford", "xiaomi"], "evidence": "Ford held talks"},
        {"id": "c-denial", "type": "Denial", "speaker": "xiaomi", "denies": "c-denial", "evidence": "Xiaomi denied it"},
        {"id": "c-r1", "type": "Report", "reporter": "global-times", "reports": ["c-talks", "c-r2"],
         "evidence": "Xinhua said"},
        {"id": "c-r2", "type": "Report", "reporter": "financial-times", "reports": "c-r1", "evidence": "citing the FT"},
    ]
    path = folder / "cycles.yaml"
    path.write_text(yaml.safe_dump({"article": {"id": "cycles", "headline": "C", "publisher": "global-times",
                                                "date": "2026-02-01", "text": text}, "events": events},
                                   sort_keys=False), encoding="utf-8")
    with pytest.raises(AnnotationError) as refused:
        compile_paths([path], REGISTRY)
    messages = "\n".join(refused.value.lines())
    assert "event 'c-denial' denies itself" in messages
    assert "reports relay each other in a circle: c-r1 -> c-r2 -> c-r1" in messages
