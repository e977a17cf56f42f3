// The bundled OHLCV samples as the page fetches them: the same CSV text, packed denser. The
// S&P 500 file is the largest thing the first load fetches after the wasm (90 KB gzipped as
// CSV): its prices are float32 values printed with six decimals ("1228.099976" is 1228.1), its
// "Adj Close" repeats "Close", and each bar sits near the last close. Packed as whole cents
// relative to the bar before, and dates as day steps, it gzips to about half. The page decodes
// it back to the exact text (the build checks the round trip), so the engine reads the file
// the terminal reads and the numbers agree.

/** The packed format's name and version (a packed file names them). */
export const FORMAT = 'tidemark-ohlcv-pack';
const VERSION = 1;
const DAY_MS = 86_400_000;

// A price as the file prints it: the float32 nearest to `value`, six decimals, trailing zeros
// (and a bare point) dropped; as `toFixed(6)` would print it, without its slow exact path: a
// float32 has 24 significant bits and 10^6 needs 20, so the product below is exact.
function printPrice(value) {
  const micro = Math.round(Math.fround(value) * 1e6);
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const whole = Math.floor(abs / 1e6);
  let frac = abs - whole * 1e6;
  if (frac === 0) return `${sign}${whole}`;
  let digits = 6;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${sign}${whole}.${String(frac).padStart(digits, '0')}`;
}

// The shortest decimal that prints as `text`, in units of 1/scale, or null.
function unitsOf(text, scale) {
  const v = Number(text);
  if (!Number.isFinite(v)) return null;
  for (let digits = 1; digits <= 17; digits++) {
    const d = Number(v.toPrecision(digits));
    if (printPrice(d) !== text) continue;
    const units = Math.round(d * scale);
    return units / scale === d ? units : null;
  }
  return null;
}

// "M/D/YYYY" (no padding, as the samples write it) ↔ days since 1970-01-01.
function dayOf(text) {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  return m ? Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) / DAY_MS : null;
}
function printDay(day) {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

const HEADERS = ['Date,Open,High,Low,Close,Adj Close,Volume', 'Date,Open,High,Low,Close,Volume'];

/**
 * Packs an OHLCV CSV of the samples' shape (M/D/YYYY dates; prices printed from float32 with
 * six decimals; "Adj Close", if present, equal to "Close"; integer volumes). Throws, naming the
 * line, when the text has another shape; returns a plain object (JSON) that `unpack` turns back
 * into exactly `text`.
 */
export function pack(text, { scale = 100 } = {}) {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const final = lines.at(-1) === '';
  if (final) lines.pop();
  const header = lines[0];
  if (!HEADERS.includes(header)) throw new Error(`line 1: header ${JSON.stringify(header)} is not one the packer takes`);
  const adj = header.includes('Adj Close');
  const out = { format: FORMAT, version: VERSION, header, eol, final, scale, day: [], open: [], high: [], low: [], close: [], volume: [] };
  let lastDay = 0;
  let lastClose = 0;
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    const fail = (why) => new Error(`line ${i + 1}: ${why}: ${JSON.stringify(lines[i])}`);
    if (cells.length !== (adj ? 7 : 6)) throw fail('wrong number of cells');
    const day = dayOf(cells[0]);
    if (day === null || printDay(day) !== cells[0]) throw fail('not an M/D/YYYY date');
    const [o, hi, lo, c] = cells.slice(1, 5).map((x) => unitsOf(x, scale));
    if ([o, hi, lo, c].includes(null)) throw fail('a price that is not a float32 printed with six decimals');
    if (adj && cells[5] !== cells[4]) throw fail('Adj Close differs from Close');
    const volume = cells.at(-1);
    if (!/^(0|[1-9]\d{0,14})$/.test(volume)) throw fail('a volume that is not a plain integer');
    // Each bar from the one before: open from the last close, close from the open, high above
    // and low below the bar's body (all small numbers, which is what makes the pack small).
    out.day.push(day - lastDay);
    out.open.push(o - lastClose);
    out.close.push(c - o);
    out.high.push(hi - Math.max(o, c));
    out.low.push(Math.min(o, c) - lo);
    out.volume.push(Number(volume));
    lastDay = day;
    lastClose = c;
  }
  return out;
}

/** The CSV text a `pack` result was made from. Throws on anything that is not one. */
export function unpack(p) {
  if (p?.format !== FORMAT || p.version !== VERSION) throw new Error(`not a ${FORMAT} v${VERSION} file`);
  const n = p.day.length;
  for (const k of ['open', 'high', 'low', 'close', 'volume']) {
    if (!Array.isArray(p[k]) || p[k].length !== n) throw new Error(`${FORMAT}: column ${k} has ${p[k]?.length} values, not ${n}`);
  }
  const adj = p.header.includes('Adj Close');
  const lines = new Array(n + 1);
  lines[0] = p.header;
  const price = (units) => printPrice(units / p.scale);
  let day = 0;
  let date = '';
  let close = 0;
  for (let i = 0; i < n; i++) {
    if (p.day[i] !== 0 || i === 0) {
      day += p.day[i];
      date = printDay(day);
    }
    const o = close + p.open[i];
    close = o + p.close[i];
    const hi = Math.max(o, close) + p.high[i];
    const lo = Math.min(o, close) - p.low[i];
    const c = price(close);
    lines[i + 1] = `${date},${price(o)},${price(hi)},${price(lo)},${c},${adj ? `${c},` : ''}${p.volume[i]}`;
  }
  return lines.join(p.eol) + (p.final ? p.eol : '');
}
