// The web entry inside a module Worker: the playground's set-up. Replies with the report JSON and
// how many progress reports arrived. The handler is installed before the engine loads (a static
// import with top-level await would let the first message arrive before anyone listens).
const ready = import('/js/web.mjs');

self.onmessage = async ({ data: { config, csv } }) => {
  try {
    const tm = await ready;
    let progress = 0;
    const json = await tm.backtestJson(config, csv, { sliceEvents: 1000, logLevel: 'off', onProgress: () => progress++ });
    self.postMessage({ json, progress });
  } catch (e) {
    self.postMessage({ failure: `${e.code ?? ''} ${e.message}` });
  }
};
