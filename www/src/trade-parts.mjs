// The trade list as the engine Worker sends it: the closed trades as JSON parts (UTF-8 bytes,
// `ends` each part's end offset), decoded on this thread only when a view needs them. Showing a
// result then costs the trades shown, not all of them: decoding 56,000 trades (a 1M-bar run)
// took dozens of tasks, and their objects made the next tasks' garbage collection long.

import { nextTask } from './dom.mjs';

// Decoding yields to the host once a task has run this long.
const SLICE_MS = 10;

/**
 * `parts`: `{bytes, ends, count, entryOrder}` from the worker (`entryOrder`: the closed trades,
 * then the open ones, are in entry-time order); `open`: the open trades. Returns
 * `{count, entryOrder, first(n), all()}`: the first `n` rows or every row (closed, then open).
 */
export function tradeParts({ bytes, ends, count, entryOrder }, open) {
  const decoder = new TextDecoder();
  const rows = [];
  let next = 0; // the next part to decode
  const decodePart = () => {
    for (const t of JSON.parse(decoder.decode(bytes.subarray(ends[next - 1] ?? 0, ends[next])))) rows.push(t);
    next++;
    if (next === ends.length) rows.push(...open);
  };
  if (ends.length === 0) rows.push(...open);
  let whole = null;
  return {
    count: count + open.length,
    entryOrder,
    /** The first `n` rows, decoding only the parts they are in. */
    first(n) {
      while (rows.length < n && next < ends.length) decodePart();
      return rows.slice(0, n);
    },
    /** Every row, decoded in tasks of about SLICE_MS (the same array on every call). */
    all() {
      whole ??= (async () => {
        let slice = performance.now();
        while (next < ends.length) {
          if (performance.now() - slice > SLICE_MS) {
            await nextTask();
            slice = performance.now();
          }
          decodePart();
        }
        return rows;
      })();
      return whole;
    },
  };
}
