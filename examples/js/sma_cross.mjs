// A JS strategy for `tidemark backtest --strategy examples/js/sma_cross.mjs --param fast=10 --param slow=20`:
// backtesting.py's SmaCross (buy on the fast SMA crossing above the slow one, exit on the cross below).
export default function smaCross({ fast = 10, slow = 20 } = {}) {
  const closes = [];
  let previous = 0;
  const mean = (n) => closes.slice(-n).reduce((a, b) => a + b, 0) / n;
  return {
    id: 'js-sma',
    onMarket(view) {
      closes.push(view.price);
      if (closes.length > slow) closes.shift();
      if (closes.length < slow) return undefined;
      const now = Math.sign(mean(fast) - mean(slow));
      const before = previous;
      previous = now;
      if (before < 0 && now > 0) return { target: 'long', sizing: { equity_fraction: { fraction: '1', whole_units: true } } };
      if (before > 0 && now < 0) return { target: 'flat' };
      return undefined;
    },
  };
}
