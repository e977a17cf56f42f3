// The engine Worker, started by the page's first script: fetching and compiling the wasm is the
// longest step to the first results, and the page's own code (app.js, then the chunks it
// imports) arrives and runs a few hundred ms later. engine.mjs takes the Worker over.
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tidemark-engine' });
const boot = { worker, failed: null };
// A Worker that fails to load before the page listens: kept for the page to report.
worker.onerror = (e) => {
  e.preventDefault?.();
  boot.failed = e.message ?? 'could not load';
};
globalThis.tidemarkBoot = boot;
