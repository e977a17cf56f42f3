// A JS strategy for `tidemark backtest --strategy examples/js/rsi_reversion.mjs --param period=14`:
// RSI mean reversion with the RSI written by hand (Wilder's smoothing, seeded with simple averages),
// long below `oversold`, flat above `overbought`. examples/js/rsi_declared.mjs is the same strategy
// with the RSI declared and computed by the engine (the comparison in bench/indicators.mjs).
export default function rsiReversion({ period = 14, oversold = 30, overbought = 70 } = {}) {
  let last = NaN;
  let changes = 0;
  let gain = 0;
  let loss = 0;
  return {
    id: 'js-rsi',
    onMarket(view) {
      const x = view.price;
      if (Number.isNaN(last)) {
        last = x;
        return undefined;
      }
      const change = x - last;
      last = x;
      const up = Math.max(change, 0);
      const down = Math.max(-change, 0);
      changes++;
      if (changes <= period) {
        gain += up / period;
        loss += down / period;
      } else {
        gain = (gain * (period - 1) + up) / period;
        loss = (loss * (period - 1) + down) / period;
      }
      if (changes < period) return undefined;
      const rsi = loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
      if (rsi < oversold && view.position <= 0) return { target: 'long', sizing: { equity_fraction: { fraction: '1', whole_units: true } } };
      if (rsi > overbought && view.position >= 0) return { target: 'flat' };
      return undefined;
    },
  };
}
