// The engine for JupyterLite's Pyodide kernel: bundled by scripts/build-jupyterlite.sh into the
// site's static/tidemark/ with tidemark_bg.wasm next to it. The notebook's setup cell imports it
// from the kernel's Worker and calls install(pyodide_js), which registers the JS API and the
// bridge under the names the `tidemark` Python package imports (as js/pyodide.mjs does).
import * as web from '../js/web-init.mjs';
import { bridge, JS_MODULE, BRIDGE_MODULE } from '../js/pyodide.mjs';

/** Loads the engine (once) and registers it in a Pyodide instance; resolves to the engine version. */
export async function install(pyodide) {
  const engine = await web.init(new URL('./tidemark_bg.wasm', import.meta.url));
  pyodide.registerJsModule(JS_MODULE, { ...web, ...engine });
  pyodide.registerJsModule(BRIDGE_MODULE, bridge);
  return engine.version();
}
