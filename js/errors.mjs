// The one JS error class. Codes come from the Rust core (ERROR_CODES); this file invents none.

/** Every error this package throws. `code` is one of ERROR_CODES. */
export class TidemarkError extends Error {
  constructor(code, message, { recoverable = true, details = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TidemarkError';
    this.code = code;
    this.recoverable = recoverable;
    this.details = details;
  }
}

/**
 * Wraps calls into one wasm instance: rethrows core errors as `TidemarkError` (keeping `cause`
 * and any `ticks` applied before the error), and after a trap (a Rust panic) refuses every later
 * call, because the instance's memory may be half-updated.
 */
export function guard() {
  let poisoned = null;
  return function call(fn) {
    if (poisoned) {
      throw new TidemarkError('INTERNAL', `the engine module trapped earlier (${poisoned}) and cannot be used; reload it`, { recoverable: false });
    }
    try {
      return fn();
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        poisoned = e.message;
        throw new TidemarkError('INTERNAL', `the engine trapped: ${e.message}`, { recoverable: false, cause: e });
      }
      if (e && e.name === 'TidemarkError' && typeof e.code === 'string' && !(e instanceof TidemarkError)) {
        const err = new TidemarkError(e.code, e.message, { recoverable: e.recoverable, details: e.details, cause: e.cause });
        if (e.ticks !== undefined) err.ticks = e.ticks;
        throw err;
      }
      throw e;
    }
  };
}
