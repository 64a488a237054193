"""Every notebook's papermill `parameters` cell works: papermill's injected values reach the kernel.

nbval runs each notebook in full at its defaults; running it again in full only to
prove that papermill can change its parameters would double the cost of `make test`.
Instead papermill executes the notebook's cells up to its `parameters` cell with the
values of tests/fast_parameters.json, and one added cell prints, from the kernel,
every name that cell defines. They must equal the injected values where one was
given and the cell's own literals elsewhere, and papermill must have put its
injected cell right after the `parameters` cell. A fast value equal to the default
could not show the injection, so that is an error of the test data.
"""

import ast
import json

import nbformat
import pytest

from nbtools import BUILD, execute, fast_parameters, notebooks

PROBE_TAG = "parameters-probe"


def parameters_index(nb):
    (index,) = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    return index


def defaults(cell):
    """{name: value} of a parameters cell of `NAME = literal` lines."""
    return {
        target.id: ast.literal_eval(statement.value)
        for statement in ast.parse(cell.source).body
        for target in statement.targets
    }


def probe_cell(names):
    code = f"import json\nprint(json.dumps({{name: globals()[name] for name in {sorted(names)!r}}}))"
    return nbformat.v4.new_code_cell(code, metadata={"tags": [PROBE_TAG]})


@pytest.mark.parametrize("notebook", notebooks(), ids=lambda p: p.name)
def test_papermill_parameters_reach_the_kernel(notebook):
    nb = nbformat.read(notebook, as_version=4)
    index = parameters_index(nb)
    default = defaults(nb.cells[index])
    fast = fast_parameters()[notebook.name]
    same = {name for name in fast if name in default and fast[name] == default[name]}
    assert not same, f"tests/fast_parameters.json: these equal the defaults, so they prove nothing: {same}"
    expected = {**default, **fast}

    nb.cells = nb.cells[: index + 1] + [probe_cell(expected)]
    output = execute(nb, fast, output_dir=BUILD / "parameters", name=notebook.name)

    ran = nbformat.read(output, as_version=4)
    tags = [c.metadata.get("tags", []) for c in ran.cells]
    assert "injected-parameters" in tags[index + 1], "papermill did not inject a cell after `parameters`"
    assert PROBE_TAG in tags[index + 2] and len(ran.cells) == index + 3
    (printed,) = [o for o in ran.cells[-1].outputs if o.output_type == "stream" and o.name == "stdout"]
    assert json.loads(printed.text) == json.loads(json.dumps(expected))
