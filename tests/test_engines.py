"""Engines: the same digest, byte for byte, whether the day is read, split and vectorised here or on a
Dask cluster (a LocalCluster of two worker processes stands in for a real one)."""

import dataclasses
import json
import logging
import re
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from days import many_stories_day

from summarise import Summariser, read_articles, render
from summarise.engines import EngineUnavailable, LocalEngine, engine_for
from summarise.split import SentenceSplitter, split_articles
from summarise.summariser import prepare_articles
from summarise.vectorise import (
    analyse_texts,
    article_vectors,
    day_vocabulary,
    normalize_rows,
    part_rows,
    part_terms,
    sentence_vectorizer,
    vectorise_sentences,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def day_of(folder: Path, stories: int = 40):
    return read_articles([str(many_stories_day(folder, stories=stories))]).articles


def assert_same_rows(left, right):
    (matrix_a, idf_a), (matrix_b, idf_b) = left, right
    assert matrix_a.shape == matrix_b.shape
    # Bit for bit, and in the same order within each row: later sums over a row add up the same way.
    assert matrix_a.dtype == matrix_b.dtype == np.float64
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(matrix_a, name), getattr(matrix_b, name)), name
    assert list(idf_a.items()) == list(idf_b.items())


@pytest.mark.parametrize("part", [1, 2, 7, 1000])
def test_rows_made_part_by_part_are_the_vectorizers_bit_for_bit(tmp_path, part):
    articles = prepare_articles(day_of(tmp_path))
    sentences = split_articles(articles, SentenceSplitter().fit_articles(articles))
    parts = [sentences[k : k + part * 5] for k in range(0, len(sentences), part * 5)]
    analysed = [analyse_texts([s.text for s in p]) for p in parts]
    vocabulary = day_vocabulary([part_terms(a) for a in analysed], len(sentences))
    matrix = sp.vstack([part_rows(a, vocabulary) for a in analysed], format="csr")
    idf = dict(zip(vocabulary.columns, vocabulary.idf.tolist(), strict=True))
    assert_same_rows((matrix, idf), vectorise_sentences(sentences))
    # ... and both are scikit-learn's TfidfVectorizer's rows, bit for bit.
    vectorizer = sentence_vectorizer()
    reference = vectorizer.fit_transform([s.text for s in sentences]).tocsr()
    assert_same_rows(
        (matrix, idf),
        (reference, dict(zip(vectorizer.get_feature_names_out(), vectorizer.idf_.tolist(), strict=True))),
    )


def test_rows_are_normalised_as_scikit_learn_normalises_them(tmp_path):
    from sklearn.preprocessing import normalize

    articles = prepare_articles(day_of(tmp_path))
    sentences = split_articles(articles, SentenceSplitter().fit_articles(articles))
    matrix, _ = vectorise_sentences(sentences)
    # Article rows are sums of many sentence rows: long rows, where the order of adding shows.
    summed = article_vectors(matrix, sentences, [a.id for a in articles])
    membership = sp.csr_matrix(
        (np.ones(len(sentences)), ([int(s.article_id) - 1 for s in sentences], np.arange(len(sentences)))),
        shape=(len(articles), len(sentences)),
    )
    expected = normalize(membership @ matrix)
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(summed, name), getattr(expected, name)), name
    zero = sp.csr_matrix(np.array([[0.0, 0.0], [3.0, 4.0]]))
    assert normalize_rows(zero.copy()).toarray().tolist() == [[0.0, 0.0], [0.6, 0.8]]


def test_the_local_engine_is_the_summariser_without_one(tmp_path):
    articles = day_of(tmp_path)
    plain = render(Summariser().summarise(articles), "json")
    with LocalEngine(jobs=1) as engine:
        assert render(Summariser(engine=engine).summarise(articles), "json") == plain


def test_a_story_put_together_from_its_parts_pieces_is_the_local_story_and_is_listed_without_its_sentences(tmp_path):
    from summarise.engines import dask_cluster
    from summarise.summariser import list_story
    from summarise.text import ENGLISH

    articles = prepare_articles(day_of(tmp_path, stories=12))
    # The third story's articles lose their headlines: it is named by its words, from its sentences.
    labels = np.array([k % 3 for k in range(len(articles))], dtype=np.int64)
    articles = [
        a if label < 2 else dataclasses.replace(a, title=None) for a, label in zip(articles, labels, strict=True)
    ]
    splitter = SentenceSplitter().fit_articles(articles)
    local = LocalEngine().day(articles, splitter, ENGLISH)
    local.group(labels, 3)
    # The Dask engine's way: two parts, each split, vectorised and cut by story on its own.
    half = len(articles) // 2
    parts, part_labels = [articles[:half], articles[half:]], [labels[:half], labels[half:]]
    columns = [dask_cluster._split_part(part, splitter) for part in parts]
    analysed = [dask_cluster._analyse_part(c, ENGLISH.code) for c in columns]
    vocabulary = day_vocabulary([part_terms(a) for a in analysed], sum(len(c[0]) for c in columns))
    rows = [part_rows(a, vocabulary) for a in analysed]
    vectors = [dask_cluster._part_article_vectors(*args) for args in zip(parts, columns, rows, strict=True)]
    pieces = [
        dask_cluster._story_pieces(*args, article_buckets=np.zeros(len(args[0]), dtype=np.int64), buckets=1)[0]
        for args in zip(parts, columns, rows, vectors, part_labels, strict=True)
    ]
    bucket = dask_cluster._story_bucket(*pieces)
    for story in range(3):
        draft, expected = dask_cluster._PiecesDraft(bucket[story]), local._draft(story)
        assert [a.id for a in draft.articles] == [a.id for a in expected.articles]
        assert draft.n_sentences == len(expected.sentences) > 0
        assert list_story(draft, local.idf) == list_story(expected, local.idf)
        # A story with headlines is listed without its sentences being put together.
        assert ("sentences" in vars(draft)) == (story == 2)
        assert draft.sentences == expected.sentences
        for got, want in (
            (draft.sentence_matrix, expected.sentence_matrix),
            (draft.article_matrix, expected.article_matrix),
        ):
            assert got.shape == want.shape
            for name in ("data", "indices", "indptr"):
                assert np.array_equal(getattr(got, name), getattr(want, name)), name


def test_a_workers_part_tasks_run_with_the_cycle_collector_paused_until_the_last_one_ends(tmp_path):
    import gc
    import threading

    from summarise.engines import dask_cluster

    class NotingSplitter:
        """Splits a paragraph into itself, noting whether the cycle collector is on."""

        def __init__(self):
            self.collector_on = []

        def split(self, paragraph):
            self.collector_on.append(gc.isenabled())
            return [paragraph]

    articles = prepare_articles(day_of(tmp_path, stories=2))[:3]
    splitter = NotingSplitter()
    assert gc.isenabled()
    columns = dask_cluster._split_part(articles, splitter)
    assert len(columns[0]) == len(splitter.collector_on) > 0
    assert not any(splitter.collector_on)
    assert gc.isenabled()
    # Two tasks side by side in a worker's threads: on again only when both have ended.
    first_in, first_out = threading.Event(), threading.Event()

    def first_task():
        with dask_cluster._cycle_collection_paused():
            first_in.set()
            first_out.wait(10)

    thread = threading.Thread(target=first_task)
    thread.start()
    assert first_in.wait(10)
    with dask_cluster._cycle_collection_paused():
        assert not gc.isenabled()
        first_out.set()
        thread.join(10)
        assert not thread.is_alive()
        assert not gc.isenabled()
    assert gc.isenabled()
    # A process that keeps the collector off itself finds it off afterwards.
    gc.disable()
    try:
        dask_cluster._split_part(articles, splitter)
        assert not gc.isenabled()
    finally:
        gc.enable()


# One xdist worker runs the tests that use a cluster (`-n auto --dist loadgroup`), so the module's
# cluster starts once, not once per test worker.
DASK = pytest.mark.xdist_group("dask")


@pytest.fixture(scope="module")
def cluster():
    """A Dask LocalCluster of two single-threaded worker processes, shared by this module's tests."""
    distributed = pytest.importorskip("dask.distributed")  # the [dask] extra: installed with [test]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


@DASK
def test_a_day_on_a_dask_cluster_gives_the_same_digest_bytes(tmp_path, cluster):
    from summarise.engines.dask_cluster import DaskEngine

    # Two articles with nothing to split (a heading only) at the end of the day, so the last part
    # of two articles has no sentence at all.
    articles = day_of(tmp_path)
    articles += [
        dataclasses.replace(articles[0], path=f"heading-{n}.txt", title=f"Heading {n}", paragraphs=("Live",), url=None)
        for n in range(2)
    ]
    local = Summariser().summarise(articles)
    # Small parts, so the day is cut into many and each worker gets several.
    with DaskEngine(cluster.scheduler_address, part_articles=9) as engine:
        prepared = prepare_articles(articles)
        splitter = SentenceSplitter().fit_articles(prepared)
        sentences, rows = engine.split_and_vectorise(prepared, splitter)
        expected = split_articles(prepared, splitter)
        assert sentences == expected
        assert_same_rows(rows, vectorise_sentences(expected))
        remote = Summariser(engine=engine).summarise(articles)
    assert len(local.topics) >= 10
    for fmt in ("json", "html", "md", "txt"):
        assert render(remote, fmt) == render(local, fmt)


@DASK
def test_a_big_day_is_told_from_more_buckets_of_fewer_articles_and_gives_the_same_digest(
    tmp_path, cluster, monkeypatch
):
    from summarise.engines import dask_cluster

    articles = day_of(tmp_path)
    local = Summariser().summarise(articles)
    grouped = []
    group = dask_cluster.DaskDay.group

    def counted_group(day, labels, n_stories):
        group(day, labels, n_stories)
        grouped.append((np.bincount(labels, minlength=n_stories), day._bucket_of, len(day._buckets)))

    monkeypatch.setattr(dask_cluster.DaskDay, "group", counted_group)
    monkeypatch.setattr(dask_cluster, "BUCKET_ARTICLES", 5)
    with dask_cluster.DaskEngine(cluster.scheduler_address, part_articles=9) as engine:
        remote = Summariser(engine=engine).summarise(articles)
    assert render(remote, "json") == render(local, "json")
    # Two workers' 4 buckets each would be 8; buckets of at most 5 articles (or one bigger story) ask for more.
    [(sizes, bucket_of, buckets)] = grouped
    held = np.bincount(bucket_of, weights=sizes, minlength=buckets)
    alone = np.bincount(bucket_of, minlength=buckets) == 1
    assert buckets == bucket_of.max() + 1 > 8
    assert np.all((held <= 5) | alone)


def test_stories_are_bucketed_biggest_first_into_the_lightest_bucket_and_two_big_ones_never_share():
    from summarise.engines.dask_cluster import _bucket_of_stories

    # Stories of 20 and 20 fill the two buckets; 3 then goes to the first of the two equally light,
    # 2 and 1 to the second, the lighter after that.
    assert _bucket_of_stories(np.array([20, 3, 20, 1, 2]), least=2, most_articles=25).tolist() == [0, 0, 1, 1, 1]
    # A third story of 20 would take a bucket past 25 articles: it opens a third.
    assert _bucket_of_stories(np.array([20, 20, 20]), least=2, most_articles=25).tolist() == [0, 1, 2]
    # A story bigger than the cap still fills an empty bucket, alone; at least `least` buckets while there are stories.
    assert _bucket_of_stories(np.array([40, 1]), least=4, most_articles=25).tolist() == [0, 1]
    assert _bucket_of_stories(np.array([40, 1, 1, 1]), least=1, most_articles=25).tolist() == [0, 1, 1, 1]
    assert _bucket_of_stories(np.array([], dtype=np.int64), least=8, most_articles=25).tolist() == []


@DASK
def test_files_read_on_the_workers_come_back_in_order_and_bad_ones_are_named(tmp_path, cluster, caplog):
    from summarise.engines.dask_cluster import DaskEngine

    folder = tmp_path / "in"
    folder.mkdir()
    for n, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        (folder / f"{n:02d}-{seed.name}").write_bytes(seed.read_bytes())
    (folder / "01x-broken.txt").write_bytes(b"\xff\xfe\x00\x00" * 10)  # between the second and third
    (folder / "03x-empty.txt").write_text("", encoding="utf-8")
    caplog.set_level("INFO", logger="summarise")
    local = read_articles([str(folder)])
    said_here = [(r.levelno, r.getMessage()) for r in caplog.records if r.name.startswith("summarise")]
    caplog.clear()
    with DaskEngine(cluster.scheduler_address, files_per_task=2) as engine:
        remote = read_articles([str(folder)], engine=engine)
    said_there = [
        (r.levelno, r.getMessage())
        for r in caplog.records
        if r.name.startswith("summarise") and r.name != "summarise.engines.dask_cluster"
    ]
    assert remote.articles == local.articles
    assert [a.path.rsplit("/", 1)[1][:2] for a in remote.articles] == ["00", "01", "02", "03", "04"]
    assert [s.source.rsplit("/", 1)[1] for s in remote.skipped] == ["01x-broken.txt", "03x-empty.txt"]
    assert remote.skipped == local.skipped
    # What each file said, in the order of the files, at every level (the client's handlers choose).
    assert said_there == said_here
    assert [m.split(": ", 1)[1] for _, m in said_here if "x-" in m] == [
        "kept 0 of 0 lines",
        "skipped: no article text left after removing page furniture",
        "skipped: empty file",
    ]


@DASK
def test_the_command_on_a_dask_cluster_writes_what_the_local_run_writes(tmp_path, run_cli, cluster):
    day = many_stories_day(tmp_path, stories=25)
    local = run_cli(str(day), "--out", str(tmp_path / "local"), "--format", "json,html")
    assert (local.returncode, local.stderr) == (0, "")
    remote = run_cli(
        str(day), "--out", str(tmp_path / "dask"), "--format", "json,html",
        "--engine", "dask", "--scheduler", cluster.scheduler_address,
    )  # fmt: skip
    assert (remote.returncode, remote.stderr) == (0, "")
    for name in ("digest-2024-03-05.json", "digest-2024-03-05.html"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert len(json.loads((tmp_path / "dask" / "digest-2024-03-05.json").read_text())["topics"]) == 15


@DASK
def test_a_day_in_several_languages_on_a_dask_cluster_is_the_local_digest(tmp_path, run_cli, cluster, seeds):
    # The seeds beside real pages in Italian, Indonesian, Portuguese and Russian: each language's words
    # are weighed on the workers with that language's stemmer and stop words.
    for page in (Path(__file__).parent / "fixtures" / "languages").glob("*.html"):
        (seeds / page.name).write_bytes(page.read_bytes())
    local = run_cli(str(seeds), "--out", str(tmp_path / "local"), "--format", "json,html")
    assert (local.returncode, local.stderr) == (0, "")
    remote = run_cli(
        str(seeds), "--out", str(tmp_path / "dask"), "--format", "json,html",
        "--engine", "dask", "--scheduler", cluster.scheduler_address,
    )  # fmt: skip
    assert (remote.returncode, remote.stderr) == (0, "")
    [digest] = (tmp_path / "local").glob("digest-*.json")
    for name in (digest.name, digest.with_suffix(".html").name):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert len(json.loads(digest.read_text(encoding="utf-8"))["languages"]) == 5


@DASK
def test_the_dask_engine_with_no_address_starts_and_stops_its_own_cluster(tmp_path, seeds):
    pytest.importorskip("dask.distributed")
    import dask

    from summarise.engines.dask_cluster import DaskEngine

    articles = read_articles([str(seeds)]).articles
    spill_before = dask.config.get("distributed.worker.memory.spill")
    with DaskEngine(n_workers=2) as engine:
        cluster = engine.cluster_
        assert len(cluster.scheduler_info["workers"]) == 2
        # Its workers spill from 60% of their memory down to 50%; the process's own config is left as it was.
        fractions = engine.client_.run(
            lambda dask_worker: (dask_worker.memory_manager.memory_spill_fraction,
                                 dask_worker.memory_manager.memory_target_fraction)
        )  # fmt: skip
        assert sorted(fractions.values()) == [(0.6, 0.5), (0.6, 0.5)]
        assert dask.config.get("distributed.worker.memory.spill") == spill_before
        digest = Summariser(engine=engine).summarise(articles)
    assert cluster.status.name == "closed"
    assert render(digest, "json") == render(Summariser().summarise(articles), "json")


def _split_then_pause(articles, splitter, jobs=1):
    """A part split, after which the worker's pause threshold falls to 1% of its memory limit, which its
    process is past however little it holds: the worker pauses with the other parts still to split."""
    from dask.distributed import get_worker

    worker = get_worker()
    worker.memory_manager.memory_pause_fraction = 0.01
    deadline = time.monotonic() + 10
    while worker.status.name != "paused" and time.monotonic() < deadline:  # Dask looks every 100 ms
        time.sleep(0.01)
    return split_articles(articles, splitter, jobs=jobs)


@DASK
def test_a_day_whose_every_worker_stays_paused_is_stopped_with_that_reason(tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    from summarise.engines import dask_cluster

    articles = day_of(tmp_path, stories=3)
    monkeypatch.setattr("summarise.split.split_articles", _split_then_pause)
    with (
        LocalCluster(
            n_workers=1,
            processes=False,  # in this process, where splitting is patched
            protocol="tcp",
            memory_limit="1 GiB",
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        dask_cluster.DaskEngine(cluster.scheduler_address, part_articles=5, stall_timeout=1.0) as engine,
    ):
        started = time.monotonic()
        with pytest.raises(engine.failures) as stopped:
            Summariser(engine=engine).summarise(articles)
        waited = time.monotonic() - started
    assert str(stopped.value).endswith(
        " cancelled for reason: every Dask worker paused for 1 s, its memory past Dask's pause threshold and not "
        "coming down (give the workers more memory, or more workers)."
    )
    assert 1.0 <= waited < 30


def test_an_unreachable_scheduler_is_one_clear_error():
    pytest.importorskip("dask.distributed")
    engine = engine_for("dask", "tcp://127.0.0.1:9", jobs=1)
    engine.connect_timeout = 0.5
    with pytest.raises(EngineUnavailable, match=r"^cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9: "):
        engine.__enter__()


@pytest.mark.parametrize("address", ["myhost", "http://[::1"])
def test_a_malformed_scheduler_address_is_one_clear_error(address):
    pytest.importorskip("dask.distributed")
    with pytest.raises(EngineUnavailable, match=rf"^cannot reach the Dask scheduler at {re.escape(address)}: "):
        engine_for("dask", address, jobs=1).__enter__()


@DASK
def test_a_worker_with_other_versions_is_refused_by_name(cluster, monkeypatch):
    import importlib.metadata

    from summarise.engines import dask_cluster

    here = dask_cluster._versions()
    real = importlib.metadata.version
    # The client believes it runs another summarise than the workers do (they run the real one).
    with monkeypatch.context() as patched:
        patched.setattr(importlib.metadata, "version", lambda name: "0.0.1" if name == "summarise" else real(name))
        engine = dask_cluster.DaskEngine(cluster.scheduler_address)
        with pytest.raises(EngineUnavailable) as refused:
            engine.__enter__()
    assert str(refused.value).startswith("the Dask worker tcp://127.0.0.1:")
    assert str(refused.value).endswith(f"runs other versions: summarise {here['summarise']} (here 0.0.1)")
    assert getattr(engine, "client_", None) is None  # let go of the cluster it had reached


def test_without_dask_installed_the_run_fails_with_one_line_and_writes_nothing(tmp_path, run_cli, seeds, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if the [dask] extra were not installed
    done = run_cli(str(seeds), "--out", str(tmp_path / "out"), "--engine", "dask")
    assert done.returncode == 1
    assert done.stderr == (
        "summarise: error: the dask engine needs Dask: pip install 'summarise[dask]' "
        "(import of dask.distributed halted; None in sys.modules); nothing written\n"
    )
    assert not (tmp_path / "out" / "digest-2024-01-16.html").exists()


def test_engine_local_on_the_command_line_wins_over_a_configured_cluster(tmp_path, run_cli, seeds):
    config = tmp_path / "run.toml"
    config.write_text('engine = "dask"\nscheduler = "tcp://10.0.0.5:8786"\n', encoding="utf-8")
    done = run_cli(str(seeds), "--config", str(config), "--out", str(tmp_path / "out"), "--engine", "local")
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "out" / "digest-2024-01-16.html").exists()


@pytest.mark.parametrize(
    ("config", "flags", "error"),
    [
        ('engine = "spark"\n', [], "engine: 'spark' is not an engine; known: local, dask"),
        ('scheduler = "tcp://10.0.0.5:8786"\n', [], "scheduler: a scheduler is for the dask engine (--engine dask)"),
        ("", ["--scheduler", "tcp://10.0.0.5:8786"], "scheduler: a scheduler is for the dask engine (--engine dask)"),
    ],
)
def test_engine_settings_are_checked_before_anything_runs(tmp_path, run_cli, seeds, config, flags, error):
    (tmp_path / "run.toml").write_text(config, encoding="utf-8")
    done = run_cli(str(seeds), "--config", str(tmp_path / "run.toml"), "--out", str(tmp_path / "out"), *flags)
    assert done.returncode == 2
    assert error in done.stderr
    assert not (tmp_path / "out").exists()


@DASK
@pytest.mark.parametrize(
    ("step", "doing"),
    [("summarise.summariser.Summariser.summarise", "summarise"), ("summarise.pipeline.read_inputs", "read")],
)
def test_a_worker_lost_while_reading_or_summarising_is_one_line_and_nothing_written(
    tmp_path, run_cli, cluster, seeds, monkeypatch, step, doing
):
    from distributed.client import FutureCancelledError

    # What the client raises when a worker holding a result dies (past its memory limit, say).
    def loses_a_worker(*args, **kwargs):
        raise FutureCancelledError("_map_bucket-1f2e", "lost dependencies")

    monkeypatch.setattr(step, loses_a_worker)
    out = tmp_path / "out"
    result = run_cli(str(seeds), "--out", str(out), "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"summarise: error: cannot {doing} the day: _map_bucket-1f2e cancelled for reason: lost dependencies.; "
        "nothing written"
    ]
    assert list(out.iterdir()) == [out / ".summarise.lock"]


def test_a_cluster_that_fails_to_stop_is_a_warning_and_does_not_hide_the_runs_outcome(caplog):
    from summarise.engines.dask_cluster import DaskEngine

    closed = []

    class Closing:
        def __init__(self, name, error=None):
            self.name, self.error = name, error

        def close(self):
            closed.append(self.name)
            if self.error is not None:
                raise self.error

    engine = DaskEngine(None)
    engine.client_, engine.cluster_ = Closing("client", TimeoutError()), Closing("cluster", RuntimeError("gone"))
    with caplog.at_level(logging.WARNING, logger="summarise"):
        engine.__exit__(None, None, None)
    assert closed == ["client", "cluster"]  # the cluster is still stopped after the client failed to close
    assert [r.getMessage() for r in caplog.records] == [
        "the Dask cluster did not stop cleanly: TimeoutError",
        "the Dask cluster did not stop cleanly: gone",
    ]
    assert engine.cluster_ is None and not hasattr(engine, "client_")
    # ^C while the client closes: it goes on up, and the cluster is stopped all the same.
    closed.clear()
    engine.client_, engine.cluster_ = Closing("client", KeyboardInterrupt()), Closing("cluster")
    with pytest.raises(KeyboardInterrupt):
        engine.__exit__(None, None, None)
    assert closed == ["client", "cluster"]
