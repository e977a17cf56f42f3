// The JS strategy editor's starting text: backtesting.py's SmaCross (examples/js/sma_cross.mjs),
// so the JS run can be compared with the built-in sma_cross on the same data.
export const DEFAULT_JS = `// A strategy module: the default export builds the strategy from its parameters.
// onMarket gets one reused view per market event (copy what you keep) and returns
// nothing, a request, or a list of requests.
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
`;
export const DEFAULT_JS_PARAMS = '{"fast": 10, "slow": 20}';
