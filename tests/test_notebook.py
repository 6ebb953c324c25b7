"""The example notebook runs from top to bottom, and is committed with its outputs."""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def code_cells(nb) -> list:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def text_of(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        data = out.get("data", {})
        parts += [data.get("text/plain", ""), data.get("text/html", "")]
    return "\n".join("".join(p) if isinstance(p, list) else p for p in parts)


def test_the_committed_notebook_has_its_outputs_and_no_errors():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = code_cells(nb)
    assert cells and all(c.get("outputs") for c in cells)
    assert all(c["execution_count"] == i for i, c in enumerate(cells, 1))
    assert not [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]


def test_the_notebook_uses_the_library_not_the_command_line():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in code_cells(nb))
    for call in ("build(", "run_named(", "centrality(", "connection_path(", "render_html("):
        assert call in source
    for shell in ("!kg", "%%bash", "subprocess", "os.system"):
        assert shell not in source


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # jupyter_client / zmq internals
def test_the_notebook_runs(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError with the cell and traceback on failure
    cells = code_cells(nb)
    outputs = [text_of(c) for c in cells]
    assert any("济爱医疗" in t and "sentences" in t for t in outputs)  # partners of 京东健康
    assert any("presidentOf" in t for t in outputs)  # leaders
    assert any("<-[operatesHospital]-" in t or "-[partnersWith]->" in t for t in outputs)
    assert any("image/png" in o.get("data", {}) for c in cells for o in c["outputs"])
    assert any("<iframe srcdoc=" in t for t in outputs)
    nbformat.write(nb, tmp_path / "run.ipynb")  # the run can be saved as it is
