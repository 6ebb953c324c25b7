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

import kg.files
from kg.build import build, write_outputs

from .conftest import CORPUS, DATA, ROOT

OUTPUTS = ("graph.ttl", "graph.html", "ids.tsv", "errors.jsonl")


def test_every_output_goes_through_write_atomic(tmp_path, monkeypatch):
    written = []
    real = kg.files.write_atomic

    def recording(path, data):
        written.append(path.name)
        return real(path, data)

    monkeypatch.setattr(kg.files, "write_atomic", recording)
    paths = write_outputs(build([DATA / "articles"]), tmp_path)
    assert sorted(written) == sorted(OUTPUTS)
    assert sorted(p.name for p in paths.values()) == sorted(OUTPUTS)
    shown = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert shown == sorted(OUTPUTS)


def test_outputs_are_replaced_together(tmp_path, monkeypatch):
    import kg.viz

    out = tmp_path / "out"
    write_outputs(build([DATA / "articles"]), out)
    old = {n: (out / n).read_bytes() for n in OUTPUTS}
    new = build([CORPUS / "articles"])

    def killed(*args, **kwargs):  # stopped after graph.ttl was written, before graph.html
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.viz, "write_html", killed)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(new, out)
    assert {n: (out / n).read_bytes() for n in OUTPUTS} == old
    monkeypatch.undo()
    write_outputs(new, out)
    assert all((out / n).read_bytes() != old[n] for n in ("graph.ttl", "graph.html", "ids.tsv"))
    assert len(list((out / ".kg-out").iterdir())) == 2  # ``current`` and the set it shows


def test_outputs_of_an_older_build_are_taken_over_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in OUTPUTS:  # as an older ihkg wrote them: plain files
        (out / name).write_text(f"old {name}", encoding="utf-8")
    write_outputs(build([DATA / "articles"]), out)
    assert all((out / n).is_symlink() for n in OUTPUTS)
    assert (out / "ids.tsv").read_text("utf-8").count("\t") > 2


def test_a_second_build_into_the_same_folder_fails_at_once(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from kg.outputs import output_lock\n"
            f"with output_lock({str(out)!r}):\n"
            "    print('held', flush=True); sys.stdin.read()",
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        r = CliRunner().invoke(cli, ["build", str(DATA / "articles"), "--out", str(out)])
        assert r.exit_code == 2
        assert r.stderr == (
            f"Error: {out}: another build is writing to this folder (process {holder.pid}); "
            "wait for it to end, or give another --out\n"
        )
        assert not (out / "graph.ttl").exists()
    finally:
        holder.communicate("")
    r = CliRunner().invoke(cli, ["build", str(DATA / "articles"), "--out", str(out)])
    assert r.exit_code == 0, r.output  # the lock went with the process


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
    leftovers = {p.name for p in out.iterdir()} - set(OUTPUTS) - {".cache", ".kg-out"}
    assert leftovers <= {".kg-build.lock"} or all(
        n.startswith(".") and n.endswith(".tmp") for n in leftovers - {".kg-build.lock"}
    ), leftovers
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
