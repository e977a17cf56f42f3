# JupyterLite only (this cell is added by scripts/build-jupyterlite.sh): install the tidemark
# wheel from this site (offline) and bind the engine's JS API in this kernel.
import piplite
await piplite.install("tidemark")
import js
import pyodide_js
from pyodide.code import run_js
_site = str(js.location.href).split("/extensions/")[0]
_lite = await run_js(f"import('{_site}/static/tidemark/tidemark-lite.js')")
print("engine", await _lite.install(pyodide_js))
