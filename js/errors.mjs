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
 * and any `ticks` applied before the error). After a trap (a Rust panic), or any other exception
 * that unwound through wasm frames (a stack overflow, a throwing getter reached from Rust), it
 * refuses every later call: such an unwind skips Rust's cleanup, so the instance's memory and
 * stack pointer may be half-updated. Callers check their input before `call`, so everything
 * thrown inside it comes from the module.
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
      if (e instanceof TidemarkError) throw e;
      if (e && e.name === 'TidemarkError' && typeof e.code === 'string') {
        const err = new TidemarkError(e.code, e.message, { recoverable: e.recoverable, details: e.details, cause: e.cause });
        if (e.ticks !== undefined) err.ticks = e.ticks;
        throw err;
      }
      poisoned = describe(e);
      const what = e instanceof WebAssembly.RuntimeError ? 'the engine trapped' : 'an exception unwound through the engine';
      throw new TidemarkError('INTERNAL', `${what}: ${poisoned}`, { recoverable: false, cause: e });
    }
  };
}

// A thrown value's message, never failing (it may be anything, with throwing getters).
function describe(e) {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return 'an unprintable value';
  }
}
