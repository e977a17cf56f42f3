// The playground's packed samples (www/src/sample-codec.mjs): each bundled OHLCV file packs and
// unpacks to exactly its text, the pack is much smaller gzipped, and text of another shape is
// refused naming its line (the build then fails rather than ship a sample that reads differently).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { pack, unpack, FORMAT } from '../../www/src/sample-codec.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the bundled OHLCV samples round-trip exactly and pack to about half their gzip size', () => {
  for (const name of ['sp500', 'nasdaq']) {
    const text = readFileSync(`${root}data/ohlcv/${name}.csv`, 'utf8');
    const json = JSON.stringify(pack(text));
    assert.equal(unpack(JSON.parse(json)), text, name);
    const ratio = gzipSync(json, { level: 9 }).length / gzipSync(text, { level: 9 }).length;
    assert.ok(ratio < 0.6, `${name}: packed gzip is ${ratio.toFixed(2)} of the CSV's`);
  }
});

test('small files of the shape round-trip: LF or CRLF, with or without a final newline, without Adj Close', () => {
  const rows = ['1/4/1999,1229.22998,1248.810059,1219.099976,1228.099976,1228.099976,877000000', '12/31/2018,2498.939941,2509.23999,2482.820068,2506.850098,2506.850098,3442870000', '1/2/2019,2476.959961,2519.48999,2467.469971,2510.030029,2510.030029,0'];
  const header = 'Date,Open,High,Low,Close,Adj Close,Volume';
  for (const eol of ['\n', '\r\n']) {
    for (const end of ['', eol]) {
      const text = [header, ...rows].join(eol) + end;
      assert.equal(unpack(pack(text)), text);
    }
  }
  const short = ['Date,Open,High,Low,Close,Volume', '3/1/2000,10,11.5,9.25,10.75,5'].join('\n');
  assert.equal(unpack(pack(short)), short);
});

test('text of another shape is refused, naming the line', () => {
  const header = 'Date,Open,High,Low,Close,Adj Close,Volume';
  const good = '1/4/1999,1229.22998,1248.810059,1219.099976,1228.099976,1228.099976,877000000';
  const cases = [
    ['Date,Open,High,Low,Close\n1/4/1999,1,2,0.5,1', /line 1: header/],
    [`${header}\n${good}\n1/5/1999,1,2,0.5,1`, /line 3: wrong number of cells/],
    [`${header}\n1999-01-04,1,2,0.5,1,1,5`, /line 2: not an M\/D\/YYYY date/],
    [`${header}\n2/30/1999,1,2,0.5,1,1,5`, /line 2: not an M\/D\/YYYY date/],
    [`${header}\n1/4/1999,1.0000001,2,0.5,1,1,5`, /line 2: a price that is not a float32/],
    [`${header}\n1/4/1999,x,2,0.5,1,1,5`, /line 2: a price/],
    [`${header}\n1/4/1999,1,2,0.5,1,1.5,5`, /line 2: Adj Close differs/],
    [`${header}\n1/4/1999,1,2,0.5,1,1,5.5`, /line 2: a volume/],
    [`${header}\n1/4/1999,1,2,0.5,1,1,007`, /line 2: a volume/],
  ];
  for (const [text, re] of cases) assert.throws(() => pack(text), re, text);
});

test('unpack refuses what is not a pack', () => {
  const p = pack('Date,Open,High,Low,Close,Volume\n3/1/2000,10,11.5,9.25,10.75,5\n');
  assert.throws(() => unpack({ ...p, format: 'other' }), new RegExp(`not a ${FORMAT} v1`));
  assert.throws(() => unpack({ ...p, version: 2 }), /v1/);
  assert.throws(() => unpack(null), /not a/);
  assert.throws(() => unpack({ ...p, low: [] }), /column low has 0 values, not 1/);
});
