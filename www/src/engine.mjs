// The page's side of an engine Worker (worker.mjs): requests with ids, progress and events as
// callbacks, cancel by message (the engine yields between slices, so it hears it).

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** An engine error as the page shows it: the engine's code, message and details (path, line, column). */
export class EngineError extends Error {
  constructor(e) {
    super(e.message);
    this.code = e.code;
    this.details = e.details;
    this.where = e.where;
  }
}

const failure = (message) => new EngineError({ code: 'WORKER', message: `the engine worker failed: ${message ?? 'could not load'}` });

export class Engine {
  #worker;
  #next = 1;
  #calls = new Map();
  #failed = null;

  /** `boot`: the Worker boot.mjs started ({worker, failed}), taken over; without it, a new one. */
  constructor(boot) {
    this.#worker = boot?.worker ?? new Worker(WORKER_URL, { type: 'module', name: 'tidemark-engine' });
    this.#worker.onmessage = ({ data }) => this.#reply(data);
    // A worker that fails to load (wasm fetch, CSP) fails every call with what happened.
    this.#worker.onerror = (e) => {
      e.preventDefault?.();
      const err = failure(e.message);
      for (const c of this.#calls.values()) c.reject(err);
      this.#calls.clear();
    };
    // One that failed before this page listened fails every call to come.
    if (boot?.failed) this.#failed = failure(boot.failed);
  }

  #reply({ id, kind, value }) {
    const c = this.#calls.get(id);
    if (!c) return;
    if (kind === 'progress') c.onProgress?.(value);
    else if (kind === 'event') c.onEvent?.(value);
    else {
      this.#calls.delete(id);
      if (kind === 'done') c.resolve(value);
      else c.reject(new EngineError(value));
    }
  }

  /** Sends a request; resolves with its result. `handle.cancel()` aborts it. */
  call(type, payload = {}, { onProgress, onEvent } = {}) {
    const id = this.#next++;
    const promise = this.#failed ? Promise.reject(this.#failed) : new Promise((resolve, reject) => this.#calls.set(id, { resolve, reject, onProgress, onEvent }));
    this.#worker.postMessage({ id, type, ...payload });
    promise.cancel = () => this.#worker.postMessage({ type: 'cancel', target: id });
    return promise;
  }

  terminate() {
    this.#worker.terminate();
    const err = new EngineError({ code: 'ABORTED', message: 'stopped' });
    for (const c of this.#calls.values()) c.reject(err);
    this.#calls.clear();
  }
}
