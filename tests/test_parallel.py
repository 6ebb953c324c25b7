"""Parallel and distributed builds give the serial build's graph, byte for byte."""

from __future__ import annotations

import pickle
import shutil
import warnings

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.export import serialize_turtle
from kg.parallel import Outcome, map_articles, process_article, process_batch

from .conftest import CORPUS, DATA

BAD = CORPUS.parent / "bad"


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """The samples, the fixture corpus and the broken files, in one folder."""
    src = tmp_path_factory.mktemp("parallel") / "in"
    shutil.copytree(CORPUS / "articles", src)
    shutil.copytree(DATA / "articles", src / "samples")
    shutil.copytree(BAD, src / "bad")
    return src


@pytest.fixture(scope="module")
def serial(sources):
    return build([sources])


def same_build(a, b) -> None:
    assert serialize_turtle(a.graph) == serialize_turtle(b.graph)
    assert a.problems == b.problems and a.files == b.files
    assert a.summary() == b.summary()


def test_work_units_pickle_by_name():
    assert pickle.loads(pickle.dumps(process_batch)) is process_batch
    path = DATA / "articles" / "000_088a84496fb6fbd1.txt"
    outcome = process_article(path.name, path.read_bytes())
    assert outcome.error is None and outcome.extraction.relations
    assert pickle.loads(pickle.dumps(outcome)) == outcome


def test_map_keeps_input_order_in_batches():
    items = [(f"{i}.txt", b"") for i in range(7)]
    done = []
    outcomes = list(map_articles(items, on_done=done.append))
    assert [o.name for o in outcomes] == [n for n, _ in items]
    assert all(o == Outcome(o.name, error="file is empty") for o in outcomes)
    assert sum(done) == 7


def test_processes_give_the_serial_graph(sources, serial):
    result = build([sources], jobs=2)
    same_build(result, serial)
    assert result.processed == serial.processed


def test_cli_jobs_gives_the_same_files(tmp_path, sources):
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        r = CliRunner().invoke(
            cli,
            ["build", str(sources / "samples"), "--out", str(out), "--jobs", jobs, "--no-cache"],
        )
        assert r.exit_code == 0, r.output
        outs[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert outs["1"] == outs["2"]


@pytest.fixture(scope="module")
def dask_cluster():
    import distributed

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # port and resource notices of a local cluster
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
    try:
        yield cluster
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cluster.close()


def test_dask_cluster_gives_the_serial_graph(sources, serial, dask_cluster):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        result = build([sources], dask_scheduler=dask_cluster.scheduler_address)
    same_build(result, serial)
    done = dask_cluster.scheduler.task_prefixes["process_batch"].state_counts["memory"]
    forgotten = dask_cluster.scheduler.task_prefixes["process_batch"].state_counts["forgotten"]
    assert done + forgotten >= 2  # the work ran on the cluster, in batches


def test_unreachable_dask_scheduler_is_one_line_exit_2(tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        r = CliRunner().invoke(
            cli,
            [
                "build",
                str(DATA / "articles"),
                "--out",
                str(tmp_path),
                "--no-cache",
                "--dask-scheduler",
                "tcp://127.0.0.1:9",
            ],
        )
    assert r.exit_code == 2
    assert r.output.startswith("Error: cannot connect to the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in r.output


def test_without_jobs_only_a_large_build_starts_workers(sources, monkeypatch):
    import kg.build

    seen = []
    real = kg.build.map_articles

    def spy(work, *, jobs, **kwargs):
        seen.append((len(work), jobs))
        return real(work, jobs=1, **kwargs)

    monkeypatch.setattr(kg.build, "map_articles", spy)
    monkeypatch.setattr(kg.build, "AUTO_JOBS_FROM", 10)
    build([sources])
    build([DATA / "articles"])
    build([DATA / "articles"], jobs=3)
    assert seen == [(len(list(sources.rglob("*.*"))), 0), (2, 1), (2, 3)]


def test_work_on_processes_starts_at_once_and_close_releases_it():
    import multiprocessing

    before = set(multiprocessing.active_children())  # a Dask cluster of another test, say

    def workers() -> set:
        return set(multiprocessing.active_children()) - before

    items = [(f"{i}.txt", b"") for i in range(4)]
    running = map_articles(items, jobs=2)
    assert workers()  # started before any outcome is asked for
    running.close()
    assert not workers()
    alone = map_articles(items[:1], processes=True)  # one worker, this process free meanwhile
    assert len(workers()) == 1
    assert [o.error for o in alone] == ["file is empty"]
    assert not workers()
