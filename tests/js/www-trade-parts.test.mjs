// The playground's trade list as the engine Worker sends it (www/src/trade-parts.mjs): JSON parts
// decoded only as far as the rows asked for; every row, closed then open, on `all()`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tradeParts } from '../../www/src/trade-parts.mjs';

// What the worker sends for `closed`, in parts of `per` trades.
function encode(closed, per) {
  const parts = [];
  for (let i = 0; i < closed.length; i += per) parts.push(new TextEncoder().encode(JSON.stringify(closed.slice(i, i + per))));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const ends = [];
  for (const p of parts) {
    bytes.set(p, ends.at(-1) ?? 0);
    ends.push((ends.at(-1) ?? 0) + p.length);
  }
  return { bytes, ends, count: closed.length, entryOrder: true };
}
const trade = (i) => ({ entry_time: `2000-01-${String(i + 1).padStart(2, '0')}`, pnl: String(i - 3), side: 'Buy' });

test('the first rows decode only the parts they are in', () => {
  const closed = Array.from({ length: 10 }, (_, i) => trade(i));
  const sent = encode(closed, 4);
  // A broken last part shows that it is never read for the first rows.
  const bytes = new Uint8Array(sent.bytes);
  bytes[bytes.length - 2] = 0x7b; // '{' where the last part's closing brace was
  const list = tradeParts({ ...sent, bytes }, [{ ...trade(10), open: true }]);
  assert.equal(list.count, 11);
  assert.equal(list.entryOrder, true);
  assert.deepEqual(list.first(3), closed.slice(0, 3));
  assert.deepEqual(list.first(8), closed.slice(0, 8));
  assert.throws(() => list.first(9), SyntaxError);
});

test('every row, closed then open, the same array on every call', async () => {
  const closed = Array.from({ length: 9 }, (_, i) => trade(i));
  const open = [{ ...trade(9), open: true }];
  const list = tradeParts(encode(closed, 2), open);
  const [a, b] = await Promise.all([list.all(), list.all()]);
  assert.equal(a, b);
  assert.deepEqual(a, [...closed, ...open]);
  // Past the end: every row there is.
  assert.deepEqual(list.first(100), [...closed, ...open]);
});

test('no closed trades: the open ones alone', async () => {
  const open = [{ ...trade(0), open: true }];
  const list = tradeParts(encode([], 500), open);
  assert.equal(list.count, 1);
  assert.deepEqual(list.first(50), open);
  assert.deepEqual(await list.all(), open);
  assert.deepEqual(await tradeParts(encode([], 500), []).all(), []);
});
