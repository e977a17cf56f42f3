// Past runs in IndexedDB (they survive a reload): each finished backtest's setup, statistics and
// thinned equity curve. At most MAX_RUNS are kept (the oldest go first); a run whose setup and
// result equal a kept one replaces it, so reloading the page does not pile up copies.

const DB = 'tidemark-playground';
const STORE = 'runs';
export const MAX_RUNS = 50;

let opened = null;
function db() {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

function tx(mode, work) {
  return db().then((d) => new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode);
    const result = work(t.objectStore(STORE));
    t.oncomplete = () => resolve(result.value);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  }));
}

const all = (store, out) => {
  const req = store.getAll();
  req.onsuccess = () => {
    out.value = req.result;
  };
};

/** Every kept run, newest first. */
export function listRuns() {
  return tx('readonly', (store) => {
    const out = { value: [] };
    all(store, out);
    return out;
  }).then((runs) => runs.sort((a, b) => b.at - a.at));
}

/**
 * Keeps a run (`{label, data, strategy, config, stats, equity: {time, equity}, key}`; `key`
 * identifies the setup and result). Resolves to its id.
 */
export async function saveRun(run) {
  const kept = await listRuns();
  const same = kept.find((r) => r.key === run.key);
  const drop = kept.slice(MAX_RUNS - 1).map((r) => r.id);
  return tx('readwrite', (store) => {
    const out = { value: undefined };
    if (same) store.delete(same.id);
    for (const id of drop) if (id !== same?.id) store.delete(id);
    const req = store.add({ ...run, at: Date.now() });
    req.onsuccess = () => {
      out.value = req.result;
    };
    return out;
  });
}

/** Deletes the runs with these ids. */
export function deleteRuns(ids) {
  return tx('readwrite', (store) => {
    for (const id of ids) store.delete(id);
    return { value: undefined };
  });
}
