// The playground's picked files (www/src/file-read.mjs): the page decodes a small file whole and
// only the head of a big one (the engine Worker reads the File itself); too big a file is refused
// by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FILE_BYTES, readFile } from '../../www/src/file-read.mjs';
import { MAX_KEPT as WHOLE_TEXT_BYTES } from '../../www/src/setup.mjs';

const header = 'Date,Open,High,Low,Close,Volume\n';
const row = '2000-01-03,1469.25,1478.00,1438.36,1455.22,931800000\n';

test('a small file is read whole, for the preview and for a reload', async () => {
  const file = new File([header, row, row], 'small.csv');
  const got = await readFile(file);
  assert.equal(got.text, header + row + row);
  assert.equal(got.head, undefined);
  assert.equal(got.file, file);
  assert.equal(got.label, 'small.csv');
  assert.equal(got.bytes, file.size);
});

test('a big file gives the page its head only, ending on a whole character', async () => {
  // Rows of 'é' (two bytes) so some slice boundary can cut a character.
  const wide = `${'é'.repeat(99)}\n`;
  const parts = [header];
  for (let n = header.length; n <= WHOLE_TEXT_BYTES; n += Buffer.byteLength(wide)) parts.push(wide);
  const file = new File(parts, 'big.csv');
  assert.ok(file.size > WHOLE_TEXT_BYTES);
  const got = await readFile(file);
  assert.equal(got.text, undefined);
  assert.equal(got.file, file);
  assert.ok(got.head.startsWith(header + wide));
  assert.ok(got.head.length < 300_000, `head ${got.head.length} chars`);
  assert.ok(!got.head.includes('\uFFFD'), 'no replacement character at the cut');
  const whole = parts.join('');
  assert.equal(whole.slice(0, got.head.length), got.head);
});

test('a file over the limit is refused, naming it and its size', async () => {
  const file = { name: 'huge.csv', size: MAX_FILE_BYTES + 1 };
  await assert.rejects(readFile(file), /huge\.csv is 200 MB; the playground takes files up to 200 MB/);
});
