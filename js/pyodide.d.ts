// Types of `tidemark/pyodide`: the Python package in Pyodide, bound to the tidemark JS API.
/** What this module needs of a Pyodide instance (`loadPyodide()` from the npm package pyodide). */
export interface PyodideLike {
  registerJsModule(name: string, module: object): void;
  runPython(code: string): unknown;
  unpackArchive(buffer: Uint8Array, format: string, options?: { extractDir?: string }): void;
  FS: { mkdirTree(path: string): void; writeFile(path: string, data: string | Uint8Array): void };
}
/** The names the Python package imports its JS sides under. */
export declare const JS_MODULE: '_tidemark_js';
export declare const BRIDGE_MODULE: '_tidemark_bridge';
/** The JS helpers the Python package uses (strategy and logger adapters, JSON crossings). */
export declare const bridge: Readonly<Record<string, (...args: never[]) => unknown>>;
/** A wheel to install: a URL, bytes, or a fetch Response. */
export type WheelSource = string | { readonly href: string } | Uint8Array | ArrayBuffer | { arrayBuffer(): Promise<ArrayBuffer> };
/**
 * Installs `tidemark` (Python) into `pyodide`, bound to `api` (`import * as tm from 'tidemark'` or
 * 'tidemark/web'). Without `wheel`, Node reads the package sources shipped with this package.
 */
export declare function installTidemark<P extends PyodideLike>(pyodide: P, api: object, options?: { wheel?: WheelSource }): Promise<P>;
/**
 * Loads Pyodide (unless `pyodide` is given) and installs `tidemark` bound to `api` (default: this
 * package's Node entry, or the web entry in browsers). Other options go to `loadPyodide`.
 */
export declare function loadTidemarkPython<P extends PyodideLike = PyodideLike>(options?: { pyodide?: P; api?: object; wheel?: WheelSource; [option: string]: unknown }): Promise<P>;
