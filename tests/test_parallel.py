"""Parallel and distributed builds give the serial build's graph, byte for byte."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.export import serialize_turtle
from kg.parallel import map_articles
from kg.work import Outcome, process_article, process_batch

from .conftest import CORPUS, DATA, ROOT, write_article

BAD = CORPUS.parent / "bad"


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """The samples, the fixture corpus and the broken files, in one folder."""
    src = tmp_path_factory.mktemp("parallel") / "in"
    shutil.copytree(CORPUS / "articles", src)
    shutil.copytree(DATA / "articles", src / "samples", ignore=shutil.ignore_patterns("*.yaml"))
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
        outs[jobs] = {p.name: p.read_bytes() for p in out.iterdir() if p.name[0] != "."}
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
    import distributed

    with (
        warnings.catch_warnings(),
        distributed.Client(dask_cluster) as client,
        distributed.get_task_stream(client) as tasks,  # Dask's record of what ran
    ):
        warnings.simplefilter("ignore", ResourceWarning)
        result = build([sources], dask_scheduler=dask_cluster.scheduler_address)
        workers = set(client.scheduler_info()["workers"])
    same_build(result, serial)  # the broken files' errors and warnings included
    ran_on = {task["worker"] for task in tasks.data}
    assert ran_on and ran_on <= workers  # the work ran on the cluster


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


def _workers_during(*args, **kwargs) -> int:
    """The most worker processes seen while ``build(*args, **kwargs)`` runs."""
    import multiprocessing
    import threading

    before = set(multiprocessing.active_children())  # a Dask cluster of another test, say
    most, done = 0, threading.Event()

    def watch() -> None:
        nonlocal most
        while not done.is_set():
            most = max(most, len(set(multiprocessing.active_children()) - before))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        build(*args, **kwargs)
    finally:
        done.set()
        watcher.join()
    return most


def test_without_jobs_only_a_large_build_starts_workers(tmp_path):
    from kg.build import AUTO_JOBS_FROM

    for folder, n in (("small", AUTO_JOBS_FROM - 1), ("large", AUTO_JOBS_FROM)):
        (tmp_path / folder).mkdir()
        for i in range(n):  # empty files: an error each, quickly, and no pipeline to load
            (tmp_path / folder / f"{i:03d}.txt").write_bytes(b"")
    assert _workers_during([tmp_path / "small"], time_limit=None) == 0
    assert _workers_during([tmp_path / "large"], time_limit=None) >= 1
    assert _workers_during([tmp_path / "small"], jobs=2, time_limit=None) >= 1  # when asked


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


# -- limits and ends ------------------------------------------------------------------------


def test_an_article_over_the_time_limit_is_its_error_and_the_rest_are_built(tmp_path):
    write_article(tmp_path, "fast.txt", "<p>霁川医疗与云岫医院达成战略合作。</p>")
    long = "".join(f"<p>北湾健康{i}号与江州第{i}医院达成战略合作。</p>" for i in range(1500))
    write_article(tmp_path, "slow.txt", long, title="另一篇")  # some 20 s to extract
    result = build([tmp_path], jobs=1, time_limit=3)
    [error] = result.errors
    assert error.path == "slow.txt"
    assert error.reason.startswith("took more than 3 s to read and extract")
    assert [a.path for a in result.articles.values()] == ["fast.txt"]
    assert result.kb.relations  # the fast one's partnership


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # an orphan its new parent has not reaped is gone


def _wait(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_workers_end_with_the_build_however_it_is_stopped(tmp_path, sources, how):
    cmd = [sys.executable, "-m", "kg", "build", str(sources), "--jobs", "2", "--no-cache"]
    proc = subprocess.Popen(
        [*cmd, "--out", str(tmp_path / "out")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(lambda: len(_children(proc.pid)) >= 2 or proc.poll() is not None)
        kids = _children(proc.pid)
        assert len(kids) >= 2 and proc.poll() is None  # the workers (and a resource tracker)
        os.kill(proc.pid, getattr(signal, how))
        _, stderr = proc.communicate(timeout=120)
        _wait(lambda: not any(map(_alive, kids)))
        assert not [k for k in kids if _alive(k)]
        if how == "SIGTERM":
            assert proc.returncode == 128 + signal.SIGTERM
            assert "Traceback" not in stderr, stderr
    finally:
        if proc.poll() is None:
            proc.kill()
