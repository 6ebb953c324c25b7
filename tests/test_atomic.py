"""Atomic outputs: a build killed at any point leaves the previous outputs whole."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from rdflib import Graph

import kg.export
from kg.build import build, write_outputs

from .conftest import CORPUS, DATA, ROOT

OUTPUTS = ("graph.ttl", "graph.html", "ids.tsv", "errors.jsonl")


def test_every_output_goes_through_write_atomic(tmp_path, monkeypatch):
    written = []
    real = kg.export.write_atomic

    def recording(path, data):
        written.append(path.name)
        return real(path, data)

    monkeypatch.setattr(kg.export, "write_atomic", recording)
    paths = write_outputs(build([DATA / "articles"]), tmp_path)
    assert sorted(written) == sorted(OUTPUTS)
    assert sorted(p.name for p in paths.values()) == sorted(OUTPUTS)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUTS)


def check_whole(out, old: dict, new: dict) -> list[str]:
    """Each output is the old or the new version, whole, and parses; return which."""
    which = []
    for name in OUTPUTS:
        data = (out / name).read_bytes()
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new output"
        which.append("new" if data == new[name] and data != old[name] else "old")
    Graph().parse(data=(out / "graph.ttl").read_text("utf-8"), format="turtle")
    for line in (out / "errors.jsonl").read_text("utf-8").splitlines():
        json.loads(line)
    leftovers = {p.name for p in out.iterdir()} - set(OUTPUTS) - {".cache"}
    assert all(n.startswith(".") and n.endswith(".tmp") for n in leftovers), leftovers
    return which


def start(args, out) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "kg", "build", *map(str, args), "--out", str(out)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def finish(args, out) -> int:
    cmd = [sys.executable, "-m", "kg", "build", *map(str, args), "--out", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_sigkill_at_random_points_leaves_previous_outputs_whole(tmp_path):
    old_src, new_src = tmp_path / "old", tmp_path / "new"
    shutil.copytree(DATA / "articles", old_src)
    shutil.copytree(DATA / "articles", new_src)
    for p in (CORPUS / "articles").iterdir():
        shutil.copy(p, new_src)
    (new_src / "broken.txt").write_text("no front matter", encoding="utf-8")

    out, warm = tmp_path / "out", tmp_path / "warm"
    assert finish([old_src, "--no-cache"], out) == 0
    old = {n: (out / n).read_bytes() for n in OUTPUTS}
    durations, new = {}, {}
    for mode in ("clean", "cached"):  # the first fills the cache, the second reads it
        started = time.monotonic()
        assert finish([new_src, "--cache", warm], tmp_path / mode) == 1  # broken.txt
        durations[mode] = time.monotonic() - started
        new[mode] = {n: (tmp_path / mode / n).read_bytes() for n in OUTPUTS}
    assert new["clean"] == new["cached"]
    new = new["clean"]
    assert all(old[n] != new[n] for n in OUTPUTS)

    # Kill builds with no cache, filling a new cache (kills cache writes too), and
    # from a full cache (most of the time is then spent writing the outputs).
    rnd = random.Random(20240607)
    modes = [
        ("clean", ["--no-cache"]),
        ("filling", ["--cache", tmp_path / "filling"]),
        ("cached", ["--cache", warm]),
    ] * 2
    for mode, args in modes:
        for name in OUTPUTS:  # the previous outputs, each time
            (out / name).write_bytes(old[name])
        duration = durations["cached" if mode == "cached" else "clean"]
        delay = rnd.uniform(0.3 * duration, 1.05 * duration)
        proc = start([new_src, *args], out)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        check_whole(out, old, new)

    # builds left to finish, through the caches the kills left, give the new outputs
    assert finish([new_src, "--cache", tmp_path / "filling"], out) == 1
    assert check_whole(out, old, new) == ["new"] * len(OUTPUTS)
