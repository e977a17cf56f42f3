// examples/js/rsi_reversion.mjs with the RSI declared: the engine computes it in wasm and passes its
// value with each event (`view.indicators.rsi`, null while warming up).
export default function rsiDeclared({ period = 14, oversold = 30, overbought = 70 } = {}) {
  return {
    id: 'js-rsi',
    indicators: { rsi: { rsi: period } },
    onMarket(view) {
      const rsi = view.indicators.rsi;
      if (rsi === null) return undefined;
      if (rsi < oversold && view.position <= 0) return { target: 'long', sizing: { equity_fraction: { fraction: '1', whole_units: true } } };
      if (rsi > overbought && view.position >= 0) return { target: 'flat' };
      return undefined;
    },
  };
}
