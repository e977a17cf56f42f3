// A macrotask, so the host can paint, handle input or run timers between slices (a resolved
// promise would only be a microtask). Not scheduler.yield(): Chromium runs its continuations
// ahead of rendering (tests/js/browser.test.mjs saw 2 frames painted in 300 ms with it, 11 with a
// MessageChannel).
/** Resolves on a later turn of the host's event loop. */
export const yieldToHost = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
