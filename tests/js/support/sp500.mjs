// The S&P 500 file (data/ohlcv/sp500.csv: Date (M/D/YYYY), Open, High, Low, Close, Adj Close,
// Volume) as columns, read here by plain string splitting, independently of the engine's loader.
export function sp500Columns(csv) {
  const rows = csv.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  const col = (k) => Float64Array.from(rows, (r) => Number(r[k]));
  const time = Float64Array.from(rows, (r) => {
    const [m, d, y] = r[0].split('/').map(Number);
    return Date.UTC(y, m - 1, d);
  });
  return { time, open: col(1), high: col(2), low: col(3), close: col(4), volume: col(6) };
}
