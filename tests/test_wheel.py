"""A wheel install works on its own: named queries and rules are package data.

The wheel is built from a copy of the package (offline, with the setuptools
of this environment), installed into a fresh virtual environment, and run
from a folder outside the checkout, so nothing can come from the source tree.
The dependencies are the ones already installed here, reached through a
``.pth`` line, so the test needs no network.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv

from kg.export import write_turtle

from .conftest import ROOT


def sh(*args, cwd):
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
    return done.stdout


def test_a_wheel_in_a_fresh_environment_has_the_named_queries(demo_result, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "kg", src / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp_path / "dist"
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
       "--no-index", "-q", "-w", str(dist), str(src), cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("ihkg-*.whl")

    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    site = next((env / "lib").glob("python*/site-packages"))
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    py = env / "bin" / "python"
    sh(str(py), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel), cwd=tmp_path)

    work = tmp_path / "work"
    work.mkdir()
    where = sh(str(py), "-c", "import kg; print(kg.__file__)", cwd=work)
    assert where.startswith(str(site)), where
    listed = sh(str(env / "bin" / "kg"), "queries", cwd=work)
    for name in ("partners", "evidence", "hospital-operators"):
        assert name in listed
    graph = write_turtle(demo_result.graph, work / "out" / "graph.ttl")
    rows = sh(str(env / "bin" / "kg"), "query", "partners", "-p", "org=京东健康",
              "--graph", str(graph), "--format", "csv", cwd=work)  # fmt: skip
    assert "京东健康,济爱医疗,Company" in rows
