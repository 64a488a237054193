"""Each committed notebook holds the outputs of one clean top-to-bottom run."""

import ast
import json
import re

import pytest

from nbtools import fast_parameters, notebooks

IGNORE_MARKERS = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")
# The first line of an lr_table (`step ... learning_rate`) or of a LearningRateLogger printout.
LR_TABLE_HEADER = re.compile(r"^\s*(step|iteration)\s{2,}\S", re.MULTILINE)


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"])


def parameters_cells(nb):
    return [c for c in code_cells(nb) if "parameters" in c.get("metadata", {}).get("tags", [])]


def text_outputs(cell):
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            yield "".join(output["text"])
        elif "data" in output:
            yield "".join(output["data"].get("text/plain", ""))


def ignored(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    comments = [line.strip().lstrip("#").strip() for line in source(cell).splitlines()]
    return any(m in comments or m.lower().replace("_", "-") in tags for m in IGNORE_MARKERS)


def test_there_are_notebooks():
    assert notebooks()


@pytest.fixture(params=notebooks(), ids=lambda p: p.name)
def notebook(request):
    return request.param


def test_name_is_numbered_topic(notebook):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", notebook.name)


def test_execution_counts_are_one_clean_run(notebook):
    counts = [c["execution_count"] for c in code_cells(load(notebook))]
    assert counts == list(range(1, len(counts) + 1))


def test_no_stderr_or_error_outputs(notebook):
    for cell in code_cells(load(notebook)):
        for output in cell["outputs"]:
            assert output["output_type"] != "error", source(cell)
            assert output.get("name") != "stderr", source(cell)


def test_no_papermill_metadata(notebook):
    nb = load(notebook)
    assert "papermill" not in nb["metadata"]
    for cell in nb["cells"]:
        assert "papermill" not in cell.get("metadata", {})
        assert "injected-parameters" not in cell.get("metadata", {}).get("tags", [])


def test_kernelspec_is_python3(notebook):
    assert load(notebook)["metadata"]["kernelspec"]["name"] == "python3"


def test_one_parameters_cell_of_literals(notebook):
    cells = parameters_cells(load(notebook))
    assert len(cells) == 1
    for statement in ast.parse(source(cells[0])).body:
        assert isinstance(statement, ast.Assign), ast.unparse(statement)
        assert all(isinstance(target, ast.Name) for target in statement.targets)
        ast.literal_eval(statement.value)  # raises unless the value is a literal


def test_fast_parameters_exist_in_the_parameters_cell(notebook):
    cell = parameters_cells(load(notebook))[0]
    names = {t.id for s in ast.parse(source(cell)).body for t in s.targets}
    fast = fast_parameters()
    assert notebook.name in fast, "add fast parameters for it to tests/fast_parameters.json"
    assert set(fast[notebook.name]) <= names


def test_lr_tables_are_compared_by_nbval(notebook):
    """Only machine-dependent cells may be excluded, and never one that prints an LR table."""
    for cell in code_cells(load(notebook)):
        if ignored(cell):
            assert not any(LR_TABLE_HEADER.search(text) for text in text_outputs(cell)), source(cell)
            assert re.search(r"#\s*machine-dependent:", source(cell)), (
                "say why the output is excluded with a '# machine-dependent: ...' comment\n" + source(cell)
            )
