// Compiled by `tsc -p tests/types` (scripts/test.sh): the declarations must accept real usage and
// refuse misuse (the @ts-expect-error lines fail the build if they stop being errors).
import * as tm from 'tidemark';
import * as web from 'tidemark/web';
import type { BacktestReport, ErrorCode, MarketView, PortfolioStats, Strategy, StrategyResult } from 'tidemark';

async function main(): Promise<void> {
  const normalised: Record<string, unknown> = tm.parseConfig('{"cash": 10000}');
  void normalised;
  const config: tm.Config = { cash: 10_000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } };
  const barter: tm.BarterConfig = {
    instruments: [{ exchange: 'other', name_exchange: 'SPX', underlying: { base: 'spx', quote: 'usd' }, quote: 'underlying_quote', kind: 'spot' }],
    executions: [{ mocked_exchange: 'other', latency_ms: 0, fees_percent: 0.002, fill: { model: 'barter_mock' },
      initial_state: { exchange: 'other', balances: [{ asset: 'usd', balance: { total: 10000, free: 10000 }, time_exchange: '1999-01-01T00:00:00Z' }] } }],
    engine: { close_positions_at_end: 'last_open', summary_interval: { seconds: 3600 } },
    risk: { max_order_notional: '5000', long_only: true },
  };
  await tm.backtest(barter, '');
  // A config full of typos fails to compile, field by field.
  // @ts-expect-error: "comission"
  await tm.backtest({ cash: 10_000, comission: 0.002 }, '');
  // @ts-expect-error: no such strategy
  await tm.backtest({ cash: 10_000, strategy: { type: 'sma_cros', fast: 10, slow: 20 } }, '');
  // @ts-expect-error: "fees_percnt"
  await tm.backtest({ ...barter, executions: [{ ...barter.executions[0], fees_percnt: 0.1 }] }, '');
  // @ts-expect-error: not an exchange id
  await tm.backtest({ ...barter, instruments: [{ ...barter.instruments[0], exchange: 'nyse' }] }, '');
  // @ts-expect-error: close_positions_at_end takes false, true, "last_price" or "last_open"
  await tm.backtest({ cash: 1, engine: { close_positions_at_end: 'last_close' } }, '');
  const report: BacktestReport = await tm.backtest(config, 'Date,Open,High,Low,Close\n', { interval: 'annual252', logLevel: 'info', onProgress: (p) => p.processed / (p.total ?? Number.NaN) });
  async function* chunks() {
    yield 'Date,Open,High,Low,Close\n';
    yield new Uint8Array([50, 48]);
  }
  await tm.backtestJson(config, chunks(), { sliceBytes: 65_536, onProgress: (p) => p.bytes ?? 0 });
  await tm.backtest(config, new Blob(['Date,Open,High,Low,Close\n']));
  // @ts-expect-error: a number is not data
  await tm.backtest(config, 42);
  const stats: PortfolioStats | null = report.summary.portfolio;
  const sharpe: number | null | undefined = stats?.sharpe_ratio;
  const entry: string = report.trades[0].entry_price;
  const columns = { time: new Float64Array(2), open: [1, 2], high: [1, 2], low: [1, 2], close: [1, 2] };
  await tm.backtest(config, columns, { strategy: { onMarket: (v: MarketView) => (v.kind === 'candle' && v.close > v.open ? { target: 'long' } : undefined) } });
  const s: Strategy = {
    id: 'x',
    onMarket(_v): StrategyResult {
      return [{ side: 'buy', quantity: 1, type: 'limit', price: '1', timeInForce: 'GTC' }, { cancel: 'all' }];
    },
    closePositions: () => undefined,
  };
  const system = await tm.System.start(config, { strategy: s, logger: console });
  system.feed(tm.market.trade({ time: new Date(), exchange: 'binance_spot', instrument: 0, price: '1', amount: 1, side: 'buy' }));
  system.command(tm.command.closePositions(tm.filter.instruments(0)));
  for await (const tick of system.audit()) void tick.sequence;
  const rows = await tm.sweep(config, '', { fast: [5, 10] }, { rankBy: 'sqn' });
  await tm.sweep(config, '', { fast: [5, 10] }, { strategy: (p) => (p.fast === 5 ? null : s) });
  const parallel = await tm.sweep(config, '', { fast: [5, 10], slow: [20, 30] }, {
    workers: 'auto',
    constraint: ({ fast, slow }) => Number(fast) < Number(slow),
    objective: (stats) => stats.return_pct ?? Number.NaN,
  });
  const heat: tm.Heatmap = tm.heatmap(parallel, { x: 'fast', y: 'slow', value: 'return_pct' });
  const cell: number | null | undefined = heat.values[0]?.[0];
  const score: number | null | undefined = parallel[0]?.score;
  void [cell, score];
  // @ts-expect-error: workers is 'auto' or a number
  await tm.sweep(config, '', { fast: [5] }, { workers: 'all' });
  const loaded: tm.Dataset = await tm.loadData(config, 'Date,Open,High,Low,Close\n', { format: 'ohlcv-csv' });
  const count: number = loaded.events;
  await tm.backtest(config, loaded, { interval: 'daily' });
  await tm.sweep(config, loaded, { fast: [5, 10] });
  // @ts-expect-error: a Dataset is not loaded again
  await tm.loadData(config, loaded);
  loaded.free();
  void count;
  const most: number = tm.MAX_SWEEP_COMBINATIONS;
  void most;
  try {
    system.shutdownWithSummary('daily');
  } catch (e) {
    if (e instanceof tm.TidemarkError) {
      const code: ErrorCode = e.code;
      void code;
    }
  }
  void [sharpe, entry, rows];
  // @ts-expect-error: not an interval
  system.shutdownWithSummary('weekly');
  // @ts-expect-error: not an error code
  const bad: ErrorCode = 'OOPS';
  // @ts-expect-error: a request needs a side and quantity, a cancel or a target
  const req: StrategyResult = { quantity: 1, price: 2 };
  void [bad, req];
}
void main;
const pf = tm.analytics.profitFactor({ pnls: ['1', -2] }).value;
const sharpeValue: string | null = tm.analytics.sharpe({ returns: [0.01, '0.02'], interval: 'annual252' }).value;
void [pf, sharpeValue];
const sameApi: typeof tm.backtest = web.backtest;
void sameApi;
// Indicators: declared by a strategy (values in the view), and the batch functions.
const declared: Strategy = {
  indicators: { fast: { sma: 10 }, m: { macd: [12, 26, 9] }, bb: { bollinger: { period: 20, k: 2 } }, hi: { highest: 55, source: 'high' } },
  onMarket(v) {
    const fast = v.indicators.fast;
    return typeof fast === 'number' && fast > v.price ? { target: 'flat' } : undefined;
  },
};
// @ts-expect-error: not an indicator kind
const misdeclared: Strategy = { indicators: { x: { smma: 10 } }, onMarket: () => undefined };
// @ts-expect-error: not a source
const badSource: Strategy = { indicators: { x: { sma: 10, source: 'mid' } }, onMarket: () => undefined };
const smaLine: (number | null)[] = tm.indicators.sma([1, 2, 3], 2);
const macdLines = tm.indicators.macd(new Float64Array(40), [12, 26, 9]);
const signal: (number | null)[] = macdLines.signal;
const atrLine = web.indicators.atr({ high: [2], low: [1], close: [1.5] }, 14);
const ups: boolean[] = tm.indicators.crossover(smaLine, tm.indicators.ema([1, 2, 3], 2));
void [declared, misdeclared, badSource, signal, atrLine, ups];
