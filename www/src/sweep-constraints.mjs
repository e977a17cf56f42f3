// A sweep's constraint presets: pairs of parameters where the first should be smaller. The page
// offers them (sweep.mjs); the engine Worker turns the chosen pairs into the constraint function
// (no code crosses from the page). Kept apart from sweep-params.mjs so the Worker's bundle does
// not carry the config schema that module reads.

const ORDERED_PAIRS = [
  ['fast', 'slow'],
  ['oversold', 'overbought'],
  ['exit_period', 'entry_period'],
];

/** The constraint presets for the `varied` parameter names: `[{id, a, b, label}]` (a < b). */
export function constraintPresets(varied) {
  return ORDERED_PAIRS.filter(([a, b]) => varied.includes(a) && varied.includes(b)).map(([a, b]) => ({ id: `${a}-lt-${b}`, a, b, label: `${a} < ${b}` }));
}

/** The constraint for a list of `[a, b]` pairs: every pair present in the params has a < b. */
export function constraintOf(pairs) {
  if (!pairs?.length) return undefined;
  return (p) => pairs.every(([a, b]) => !(a in p) || !(b in p) || Number(p[a]) < Number(p[b]));
}
