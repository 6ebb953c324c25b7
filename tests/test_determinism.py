"""Same input, same bytes: across runs, input order and hash seeds; IRIs that stay put."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from rdflib import RDFS

from kg.build import build, write_outputs
from kg.export import serialize_turtle
from kg.vocab import IHKG

from .conftest import CORPUS, DATA, ROOT, write_article

SOURCES = [DATA / "articles", CORPUS / "articles"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A per-article cache shared by the builds of this module (they extract once)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def reference():
    """The Turtle of the samples and the fixture corpus: a clean build in this process."""
    return serialize_turtle(build(SOURCES).graph)


def test_two_builds_give_the_same_bytes(reference, cache):
    assert serialize_turtle(build(SOURCES, cache=cache).graph) == reference
    assert serialize_turtle(build(SOURCES, cache=cache).graph) == reference  # from the cache


def test_order_of_the_paths_given_does_not_matter(reference, cache):
    files = sorted(p for folder in SOURCES for p in folder.iterdir())
    assert serialize_turtle(build(files[::-1], cache=cache).graph) == reference


def test_order_of_the_files_on_disk_does_not_matter(tmp_path, cache):
    # renamed so that they sort the other way round: only the file names may differ
    files = sorted(p for folder in SOURCES for p in folder.iterdir())
    for i, p in enumerate(files):
        shutil.copy(p, tmp_path / f"{len(files) - i:03d}_{p.name}")
    g = build([tmp_path]).graph
    g.remove((None, IHKG.fileName, None))
    ref = build(SOURCES, cache=cache).graph
    ref.remove((None, IHKG.fileName, None))
    assert serialize_turtle(g) == serialize_turtle(ref)


def test_hash_seed_does_not_change_any_output(tmp_path, cache):
    # two seeds in subprocesses, and this process's own (random unless set)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    runs = {}
    for seed in ("0", "4242"):
        out = tmp_path / f"seed{seed}"
        cmd = [
            sys.executable,
            "-m",
            "kg",
            "build",
            *map(str, SOURCES),
            "--out",
            str(out),
            "--no-cache",
            "--corrections",
            str(DATA / "corrections.yaml"),
        ]
        runs[seed] = (
            out,
            subprocess.Popen(
                cmd,
                cwd=ROOT,
                env={**env, "PYTHONHASHSEED": seed},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            ),
        )
    outputs = {}
    for seed, (out, proc) in runs.items():
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr.decode()
        outputs[seed] = {
            name: (out / name).read_bytes() for name in ("graph.ttl", "graph.html", "errors.jsonl")
        }
    assert outputs["0"] == outputs["4242"]
    here = write_outputs(
        build(SOURCES, corrections=DATA / "corrections.yaml", cache=cache), tmp_path / "here"
    )
    assert {name: (tmp_path / "here" / name).read_bytes() for name in outputs["0"]} == outputs["0"]
    assert here["turtle"].read_bytes() == outputs["0"]["graph.ttl"]


def test_written_files_are_the_same_bytes(tmp_path, cache):
    a = write_outputs(build(SOURCES, cache=cache), tmp_path / "a")
    b = write_outputs(build(SOURCES, cache=cache), tmp_path / "b")
    for kind in a:
        assert a[kind].read_bytes() == b[kind].read_bytes(), kind


NEW_ARTICLE = (
    "<p>本报苏州讯 霁川医疗科技有限公司（以下简称“霁川医疗”）与苏州云岫医院达成战略合作，"
    "双方将共建云岫医院互联网医院。</p>"
    "<p>云岫医院院长林晚舟表示，医院将依托霁川医疗的平台开展线上复诊。"
    "霁川医疗董事长兼CEO贺知远出席签约仪式。</p>"
)


def test_adding_an_article_renames_no_existing_entity(tmp_path, cache):
    before = build(SOURCES, cache=cache)
    new = write_article(tmp_path, "999_new.txt", NEW_ARTICLE, title="霁川医疗与云岫医院合作")
    after = build([*SOURCES, new], cache=cache)

    def labels(result) -> dict[str, str]:
        g = result.graph
        return {str(s): str(g.value(s, RDFS.label)) for s in set(g.subjects(IHKG.mentionedIn))}

    old, now = labels(before), labels(after)
    assert len(now) > len(old)  # the new article brought new entities
    missing = {iri: label for iri, label in old.items() if now.get(iri) != label}
    assert not missing
    assert {"霁川医疗", "云岫医院", "林晚舟"} <= set(now.values()) - set(old.values())
