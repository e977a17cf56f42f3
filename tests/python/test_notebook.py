"""notebooks/quickstart.ipynb executed cell by cell in Pyodide (top-level await allowed), from the
repository root as its working directory."""

import ast
import inspect
import json
import os

from conftest import REPO


async def test_quickstart_notebook_runs_cell_by_cell(capsys):
    nb = json.loads((REPO / "notebooks/quickstart.ipynb").read_text())
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code_cells) >= 6
    namespace = {"__name__": "__main__"}
    old = os.getcwd()
    os.chdir(REPO)
    try:
        for i, cell in enumerate(code_cells):
            source = "".join(cell["source"])
            compiled = compile(source, f"quickstart.ipynb[{i}]", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            result = eval(compiled, namespace)
            if inspect.iscoroutine(result):
                await result
    finally:
        os.chdir(old)
    out = capsys.readouterr().out
    assert "tidemark 0.1.0" in out and "5031 bars" in out
    assert "Equity Final [$] 7402.98585444" in out
    assert namespace["report"].stats["# Trades"] == 130
    assert namespace["progress"][-1] == 5031
    assert namespace["mine"].portfolio.trades > 0
    assert namespace["live"].summary.schema_version >= 1
    assert "'ClosePositions': 'None'" in out
