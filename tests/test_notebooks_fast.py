"""Every notebook runs top to bottom with papermill at its fast parameters."""

import pytest

from nbtools import BUILD, execute, fast_parameters, notebooks


@pytest.mark.parametrize("notebook", notebooks(), ids=lambda p: p.name)
def test_notebook_runs_with_fast_parameters(notebook):
    output = execute(notebook, fast_parameters()[notebook.name], output_dir=BUILD / "fast")
    assert output.exists()
