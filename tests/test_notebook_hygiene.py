"""Each committed notebook holds the outputs of one clean top-to-bottom run."""

import ast
import json
import re
from pathlib import Path

import pytest

from nbtools import fast_parameters, notebooks

ROOT = Path(__file__).resolve().parent.parent
# The Colab cell: lrhelpers from this repository, at a commit (7 to 40 hex digits).
COLAB_INSTALL = re.compile(r'!pip install --quiet "lrhelpers @ git\+https://github\.com/lrschedules/lrschedules@([^"]*)"')
COMMIT = re.compile(r"[0-9a-f]{7,40}")
PLACEHOLDER = "LRHELPERS_COMMIT"

IGNORE_MARKERS = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")
# The first line of an lr_table (`step ... learning_rate`) or of a LearningRateLogger printout.
LR_TABLE_HEADER = re.compile(r"^\s*(step|iteration)\s{2,}\S", re.MULTILINE)


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"])


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def parameters_cells(nb):
    return [c for c in code_cells(nb) if "parameters" in tags(c)]


def text_outputs(cell):
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            yield "".join(output["text"])
        elif "data" in output:
            yield "".join(output["data"].get("text/plain", ""))


def ignored(cell):
    cell_tags = tags(cell)
    comments = [line.strip().lstrip("#").strip() for line in source(cell).splitlines()]
    return any(m in comments or m.lower().replace("_", "-") in cell_tags for m in IGNORE_MARKERS)


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
        assert "injected-parameters" not in tags(cell)


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


def colab_refs(nb):
    return [m[1] for cell in code_cells(nb) for m in COLAB_INSTALL.finditer(source(cell))]


def test_colab_installs_lrhelpers_pinned_to_a_commit(notebook):
    nb = load(notebook)
    refs = colab_refs(nb)
    assert len(refs) == 1, "one Colab cell that installs lrhelpers from this repository at a commit"
    pip_lines = [line for cell in code_cells(nb) for line in source(cell).splitlines() if "pip install" in line]
    assert len(pip_lines) == 1, pip_lines  # nothing else is installed, unpinned, on Colab
    assert refs[0] != PLACEHOLDER, "set the commit the stored outputs were made with"
    assert COMMIT.fullmatch(refs[0]), f"not a commit: {refs[0]!r}"


def test_every_notebook_pins_the_same_commit():
    assert len({ref for path in notebooks() for ref in colab_refs(load(path))}) == 1


def pinned(name):
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    (version,) = [line.split("==")[1] for line in lines if line.startswith(f"{name}==")]
    return version


def test_stored_outputs_name_the_pinned_tensorflow_and_keras(notebook):
    """The setup cell prints the versions, and warns when they differ from those of the stored outputs."""
    tensorflow, keras = pinned("tensorflow"), pinned("keras")
    nb = load(notebook)
    assert f'!= ("{tensorflow}", "{keras}")' in "\n".join(source(c) for c in code_cells(nb))
    printed = "".join(text for cell in code_cells(nb) for text in text_outputs(cell))
    assert re.search(rf"^TensorFlow {re.escape(tensorflow)}, Keras {re.escape(keras)}$", printed, re.MULTILINE)


def test_the_pinned_commit_is_in_this_repository():
    """The Colab cell installs lrhelpers at a commit of this repository's history."""
    import shutil
    import subprocess

    (ref,) = {ref for path in notebooks() for ref in colab_refs(load(path))}
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    found = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{ref}^{{commit}}"], capture_output=True)
    assert found.returncode == 0, f"{ref} is not a commit of this repository"


FULL_SCALE = ROOT / "notebooks" / "full_scale"
OTHER_MACHINE = ROOT / "notebooks" / "other_machine"


def stored_copies():
    # notebooks/full_scale/NAME.ipynb: NAME executed by papermill with other parameters; notebooks/other_machine/NAME.ipynb:
    # NAME at its defaults on another machine (its CPU in the metadata). Stored as they ran, minutes long or tied to
    # that machine, so not re-run by the tests; their cells must be the committed notebook's, plus papermill's and a note.
    return sorted(FULL_SCALE.glob("*.ipynb")) + sorted(OTHER_MACHINE.glob("*.ipynb"))


NOTE_TAG = "stored-copy-note"
each_stored_copy = pytest.mark.parametrize("copy", stored_copies(), ids=lambda p: f"{p.parent.name}/{p.name}")


@each_stored_copy
def test_a_stored_copy_is_the_committed_notebook_run_elsewhere(copy):
    original, ran = load(ROOT / "notebooks" / copy.name), load(copy)
    injected = [c for c in ran["cells"] if "injected-parameters" in tags(c)]
    if copy.parent == FULL_SCALE:
        assert len(injected) == 1 and ran["metadata"]["papermill"]["parameters"], "not a papermill run with parameters"
    else:
        assert not injected and ran["metadata"]["lrschedules"]["machine"], "not a run at the defaults, or no machine"
    # Its prose is the committed notebook's, written about other outputs: a note of its own, first, says so.
    notes = [c for c in ran["cells"] if NOTE_TAG in tags(c)]
    assert len(notes) == 1 and ran["cells"][0] is notes[0] and notes[0]["cell_type"] == "markdown", \
        f"a stored copy opens with one markdown cell tagged {NOTE_TAG} that says what it is"
    assert copy.name in source(notes[0]), "the note names the notebook it is a copy of"
    cells = [c for c in ran["cells"] if not any(c is i for i in injected + notes)]
    assert [(c["cell_type"], source(c)) for c in cells] == [(c["cell_type"], source(c)) for c in original["cells"]]
    assert all(c.get("outputs") for c in code_cells(ran) if source(c).strip().startswith("print"))
    assert not [o for c in code_cells(ran) for o in c.get("outputs", []) if o["output_type"] == "error"]


QUOTES_TAG = "quotes-stored-copy"
# 0.0453, 16.18; from a version, 3.15.1, it takes 3.15, which the notebook's version line prints
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w])")


@each_stored_copy
def test_numbers_quoted_from_a_stored_copy_are_printed_there(copy):
    # The prose of a committed notebook quotes its stored copies' results in markdown cells tagged quotes-stored-copy:
    # every decimal number in such a cell must be printed by the copies or by the notebook itself, so that a rerun of
    # a copy, or an edit of the prose, cannot leave a quoted number behind.
    original = load(ROOT / "notebooks" / copy.name)
    quoting = [c for c in original["cells"] if QUOTES_TAG in tags(c)]
    assert quoting, f"{copy.name} quotes no stored copy: tag the markdown cells that do {QUOTES_TAG!r}"
    runs = [original] + [load(p) for p in stored_copies() if p.name == copy.name]
    printed = "\n".join(text for run in runs for cell in code_cells(run) for text in text_outputs(cell))
    missing = {(c.get("id"), number) for c in quoting for number in DECIMAL.findall(source(c)) if number not in printed}
    assert not missing, f"quoted but printed by no run: {sorted(missing)}"
