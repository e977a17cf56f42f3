// Generated from schema/config.schema.json by scripts/gen-types.mjs; do not edit.

/**
 * A Tidemark config: barter's `SystemConfig` (flat, or nested under `system`) with Tidemark's
 * extensions, or the quick `{cash, commission, strategy}` one. (For the JSON Schema only:
 * decoding goes through the shapes themselves, so its errors can name paths.)
 */
export type Config = BarterConfig | BarterNestedConfig | QuickConfig;
/**
 * false: leave positions open; true or "last_price": close at the last price; "last_open": at the last bar's open (backtesting.py's finalize_trades=True).
 */
export type CloseAtEnd = boolean | ('last_price' | 'last_open');
/**
 * The interval summaries annualise to.
 */
export type SummaryInterval =
  | 'daily'
  | 'annual252'
  | 'annual365'
  | {
      seconds: number;
    };
/**
 * Whether the strategy may trade. Commands, market and account events are processed either way.
 */
export type TradingState = 'Enabled' | 'Disabled';
/**
 * When resting limit orders fill on trade prints.
 */
export type LimitFillRule = 'touch' | 'trade_through';
/**
 * Which exchange model fills orders (`executions[i].fill.model`).
 */
export type FillKind = 'simulated' | 'barter_mock';
/**
 * An RFC 3339 date-time, e.g. "2024-01-02T00:00:00Z" (nanoseconds inside).
 */
export type Timestamp = string;
/**
 * barter's exchange id, snake_case ("huobi" is read as "htx").
 */
export type ExchangeId =
  | 'other'
  | 'simulated'
  | 'mock'
  | 'binance_futures_coin'
  | 'binance_futures_usd'
  | 'binance_options'
  | 'binance_portfolio_margin'
  | 'binance_spot'
  | 'binance_us'
  | 'bitazza'
  | 'bitfinex'
  | 'bitflyer'
  | 'bitget'
  | 'bitmart'
  | 'bitmart_futures_usd'
  | 'bitmex'
  | 'bitso'
  | 'bitstamp'
  | 'bitvavo'
  | 'bithumb'
  | 'bybit_perpetuals_usd'
  | 'bybit_spot'
  | 'cexio'
  | 'coinbase'
  | 'coinbase_international'
  | 'cryptocom'
  | 'deribit'
  | 'gateio_futures_btc'
  | 'gateio_futures_usd'
  | 'gateio_options'
  | 'gateio_perpetuals_btc'
  | 'gateio_perpetuals_usd'
  | 'gateio_spot'
  | 'gemini'
  | 'hitbtc'
  | 'htx'
  | 'kraken'
  | 'kucoin'
  | 'liquid'
  | 'mexc'
  | 'okx'
  | 'one_trading'
  | 'poloniex'
  | 'huobi';
/**
 * A client order id.
 */
export type ClientOrderId = string;
/**
 * Identifies a strategy (`"default"`, `"sma_cross"`, ...).
 */
export type StrategyId = string;
/**
 * Market or limit.
 */
export type OrderKind = 'Market' | 'Limit';
/**
 * Buy or sell. Accepts barter's spellings (`Buy`, `buy`, `BUY`, `b`).
 */
export type Side = 'Buy' | 'Sell';
/**
 * Any order state.
 */
export type OrderState =
  | {
      Active: ActiveOrderState;
    }
  | {
      Inactive: InactiveOrderState;
    };
/**
 * States of a live order.
 */
export type ActiveOrderState =
  | 'OpenInFlight'
  | {
      Open: Open;
    }
  | {
      CancelInFlight: {
        /**
         * The last known open state.
         */
        order?: Open | null;
      };
    };
/**
 * An exchange-assigned order id.
 */
export type OrderId = string;
/**
 * States of a finished order.
 */
export type InactiveOrderState =
  | {
      Cancelled: Cancelled;
    }
  | 'FullyFilled'
  | {
      OpenFailed: OrderError;
    }
  | 'Expired';
/**
 * An order failure, as barter's `OrderError` (`{"Rejected": {...}}` / `{"Connectivity": {...}}`).
 */
export type OrderError =
  | {
      Connectivity: ConnectivityError;
    }
  | {
      Rejected: ApiError;
    };
/**
 * Connectivity failures.
 */
export type ConnectivityError =
  | {
      ExchangeOffline: ExchangeId;
    }
  | 'Timeout'
  | {
      Socket: string;
    };
/**
 * Venue refusals. The first seven are barter's; the rest name the simulated exchange's checks.
 */
export type ApiError =
  | 'AssetInvalid'
  | 'InstrumentInvalid'
  | 'RateLimit'
  | {
      /**
       * @minItems 2
       * @maxItems 2
       */
      BalanceInsufficient: [unknown, unknown];
    }
  | {
      OrderRejected: string;
    }
  | 'OrderAlreadyCancelled'
  | 'OrderAlreadyFullyFilled'
  | {
      PriceInvalid: string;
    }
  | {
      QuantityInvalid: string;
    }
  | 'PostOnlyWouldCross'
  | 'FillOrKillUnfillable'
  | 'OrderNotFound'
  | 'DuplicateClientOrderId'
  | 'InstrumentKindUnsupported';
/**
 * Time in force, as barter's.
 */
export type TimeInForce =
  | {
      GoodUntilCancelled: {
        /**
         * Refuse to cross the market.
         */
        post_only: boolean;
      };
    }
  | 'GoodUntilEndOfDay'
  | 'FillOrKill'
  | 'ImmediateOrCancel';
/**
 * What an instrument is. JSON: `"spot"` or `{"perpetual": {...}}` etc., as barter.
 */
export type InstrumentKind =
  | 'spot'
  | {
      perpetual: PerpetualContract;
    }
  | {
      future: FutureContract;
    }
  | {
      option: OptionContract;
    };
/**
 * Option exercise style.
 */
export type OptionExercise = 'american' | 'bermudan' | 'european';
/**
 * Call or put.
 */
export type OptionKind = 'call' | 'put';
/**
 * Which underlying asset is the quote: barter's `underlying_quote` / `underlying_base`.
 */
export type QuoteSide = 'underlying_quote' | 'underlying_base';
/**
 * Unit of order quantities: `{"Asset": "btc"}`, `"Contract"` or `"Quote"`.
 */
export type QuantityUnit =
  | {
      Asset: string;
    }
  | 'Contract'
  | 'Quote';
/**
 * A built-in strategy and its parameters: `{"type": "sma_cross", "fast": 10, "slow": 20, ...}`.
 */
export type StrategyConfig =
  | {
      type: 'none';
    }
  | {
      sizing?: Sizing;
      type: 'buy_and_hold';
    }
  | {
      /**
       * Short on the cross below (non-spot instruments only).
       */
      allow_short?: boolean;
      /**
       * Fast length.
       */
      fast: number;
      sizing?: Sizing;
      /**
       * Slow length.
       */
      slow: number;
      type: 'sma_cross';
    }
  | {
      /**
       * Short on the cross below (non-spot instruments only).
       */
      allow_short?: boolean;
      /**
       * Fast length.
       */
      fast: number;
      sizing?: Sizing;
      /**
       * Slow length.
       */
      slow: number;
      type: 'ema_cross';
    }
  | {
      /**
       * Short above `overbought` (non-spot instruments only).
       */
      allow_short?: boolean;
      /**
       * Exit above this (70).
       */
      overbought?: string | number;
      /**
       * Enter long below this (30).
       */
      oversold?: string | number;
      /**
       * RSI length (14).
       */
      period?: number;
      sizing?: Sizing;
      type: 'rsi_reversion';
    }
  | {
      /**
       * Short on the downside break (non-spot instruments only).
       */
      allow_short?: boolean;
      /**
       * Bars for the entry channel (20).
       */
      entry_period?: number;
      /**
       * Bars for the exit channel (10).
       */
      exit_period?: number;
      sizing?: Sizing;
      type: 'donchian_breakout';
    }
  | {
      /**
       * Largest |position| the quotes may build.
       */
      max_inventory: string | number;
      /**
       * Quantity per quote.
       */
      quantity: string | number;
      /**
       * Re-quote when the target moves more than this (default: spread / 4).
       */
      requote_bps?: string | number | null;
      /**
       * Distance between bid and ask quotes, in basis points of the mid.
       */
      spread_bps: string | number;
      type: 'market_maker';
    };
/**
 * Entry size. JSON: `{"fixed_quantity": "0.5"}` or `{"equity_fraction": {"fraction": "1", "whole_units": true}}`.
 */
export type Sizing =
  | {
      fixed_quantity: string | number;
    }
  | {
      equity_fraction: {
        /**
         * Share of equity, in (0, 1].
         */
        fraction: string | number;
        /**
         * Round down to whole units.
         */
        whole_units?: boolean;
      };
    };

/**
 * barter's `SystemConfig` with Tidemark's extensions (`engine`, `risk`, `strategy`).
 */
export interface BarterConfig {
  engine?: EngineOptions;
  /**
   * One simulated exchange per venue, with its starting balances and orders.
   */
  executions: ExecutionConfig[];
  /**
   * The instruments (barter's `InstrumentConfig`s); indices follow barter's indexing.
   */
  instruments: InstrumentConfig[];
  risk?: RiskConfig;
  /**
   * Annual risk-free rate as a fraction, for the ratios (barter's field).
   */
  risk_free_return?: string | number | null;
  /**
   * The built-in strategy (decoded on its own: serde buffers an internally tagged enum, and
   * errors from a buffer carry no position, so only its own text can place them).
   */
  strategy?: StrategyConfig | null;
}
/**
 * Engine options (config key `engine`).
 */
export interface EngineOptions {
  /**
   * Keep an audit trail (snapshot + one record per event).
   */
  audit?: boolean;
  /**
   * Instrument (exchange symbol or internal name) for buy & hold, alpha and beta (default: the
   * first instrument).
   */
  benchmark_instrument?: string | null;
  close_positions_at_end?: CloseAtEnd;
  /**
   * Equity curve sampling for trade/quote data: one point per window of this many ms (candles
   * always get one point per bar).
   */
  equity_sample_ms?: number;
  summary_interval?: SummaryInterval;
  /**
   * How far (ms) a market event may be older than the newest one before it is refused.
   */
  time_tolerance_ms?: number;
  trading_state?: TradingState;
  /**
   * Asset equity and drawdowns are measured in (default: the first instrument's quote asset).
   */
  valuation_asset?: string | null;
}
/**
 * An execution entry (`executions[i]`). barter's fields, then extensions (all optional).
 */
export interface ExecutionConfig {
  /**
   * Fee as a fraction of notional (0.001 = 0.1%), barter's field; maker and taker default to it.
   */
  fees_percent: string | number;
  fill?: FillModel;
  initial_state: InitialState;
  /**
   * Milliseconds for a request to reach the exchange (and, by default, for responses to return).
   */
  latency_ms: number;
  /**
   * Extension: maker fee fraction (may be negative: a rebate).
   */
  maker_fees_percent?: string | number | null;
  mocked_exchange: ExchangeId;
  /**
   * Extension: milliseconds for responses to return (default: `latency_ms`).
   */
  response_latency_ms?: number | null;
  /**
   * Extension: adverse slippage on taker fills, in basis points of the price.
   */
  slippage_bps?: string | number;
  /**
   * Extension: taker fee fraction.
   */
  taker_fees_percent?: string | number | null;
}
/**
 * Fill model options.
 */
export interface FillModel {
  limit_fill?: LimitFillRule;
  model?: FillKind;
  /**
   * Cap each fill at this fraction of the observed volume (trade amount, bar volume, or top-of-book
   * amount); the rest fills on later observations (IOC/FOK: see their rules). None: no cap.
   */
  volume_participation?: string | number | null;
}
/**
 * barter's unindexed `AccountSnapshot` in `initial_state`.
 */
export interface InitialState {
  /**
   * Starting balances.
   */
  balances: InitialBalance[];
  exchange: ExchangeId;
  /**
   * Starting orders per instrument.
   */
  instruments?: InitialInstrument[];
}
/**
 * A starting balance.
 */
export interface InitialBalance {
  /**
   * Asset name.
   */
  asset: string;
  balance: Balance;
  time_exchange: Timestamp;
}
/**
 * Balance of one asset.
 */
export interface Balance {
  /**
   * Not reserved by open orders.
   */
  free: string | number;
  /**
   * Everything held.
   */
  total: string | number;
}
/**
 * Starting orders of one instrument.
 */
export interface InitialInstrument {
  /**
   * Instrument by exchange symbol.
   */
  instrument: string;
  /**
   * Resting orders (limit orders in the `Active(Open)` state).
   */
  orders?: InitialOrder[];
}
/**
 * A starting order.
 */
export interface InitialOrder {
  key: InitialOrderKey;
  kind: OrderKind;
  /**
   * Limit price.
   */
  price: string | number;
  /**
   * Quantity.
   */
  quantity: string | number;
  side: Side;
  state: OrderState;
  time_in_force: TimeInForce;
}
/**
 * The key of a starting order, with names instead of indices (as barter writes it).
 */
export interface InitialOrderKey {
  cid: ClientOrderId;
  exchange: ExchangeId;
  /**
   * Instrument symbol.
   */
  instrument: string;
  strategy: StrategyId;
}
/**
 * An order resting on the exchange.
 */
export interface Open {
  /**
   * How much has filled.
   */
  filled_quantity: string | number;
  id: OrderId;
  time_exchange: Timestamp;
}
/**
 * A confirmed cancel.
 */
export interface Cancelled {
  id: OrderId;
  time_exchange: Timestamp;
}
/**
 * An instrument as written in barter's config (names, not indices).
 */
export interface InstrumentConfig {
  exchange: ExchangeId;
  kind: InstrumentKind;
  /**
   * The venue's symbol, e.g. `BTCUSDT`.
   */
  name_exchange: string;
  quote: QuoteSide;
  /**
   * Optional trading rules.
   */
  spec?: InstrumentSpec | null;
  underlying: Underlying;
}
/**
 * Perpetual contract terms.
 */
export interface PerpetualContract {
  /**
   * Units of underlying per contract.
   */
  contract_size: string | number;
  /**
   * Asset PnL settles in.
   */
  settlement_asset: string;
}
/**
 * Future contract terms.
 */
export interface FutureContract {
  /**
   * Units of underlying per contract.
   */
  contract_size: string | number;
  /**
   * Expiry, milliseconds since the epoch (barter's `ts_milliseconds`).
   */
  expiry: number;
  /**
   * Asset PnL settles in.
   */
  settlement_asset: string;
}
/**
 * Option contract terms.
 */
export interface OptionContract {
  /**
   * Units of underlying per contract.
   */
  contract_size: string | number;
  exercise: OptionExercise;
  /**
   * Expiry, milliseconds since the epoch.
   */
  expiry: number;
  kind: OptionKind;
  /**
   * Asset PnL settles in.
   */
  settlement_asset: string;
  /**
   * Strike price.
   */
  strike: string | number;
}
/**
 * Trading rules of an instrument (barter's `InstrumentSpec`).
 */
export interface InstrumentSpec {
  notional: SpecNotional;
  price: SpecPrice;
  quantity: SpecQuantity;
}
/**
 * Notional rules.
 */
export interface SpecNotional {
  /**
   * Smallest price × quantity.
   */
  min: string | number;
}
/**
 * Price rules: minimum and tick size.
 */
export interface SpecPrice {
  /**
   * Smallest price.
   */
  min: string | number;
  /**
   * Prices must be multiples of this (0 = any).
   */
  tick_size: string | number;
}
/**
 * Quantity rules.
 */
export interface SpecQuantity {
  /**
   * Quantities must be multiples of this (0 = any).
   */
  increment: string | number;
  /**
   * Smallest quantity.
   */
  min: string | number;
  unit: QuantityUnit;
}
/**
 * Base and quote assets of an instrument.
 */
export interface Underlying {
  /**
   * The traded asset.
   */
  base: string;
  /**
   * The pricing asset.
   */
  quote: string;
}
/**
 * Risk knobs (config key `risk`). Notional limits are in the instrument's quote asset.
 */
export interface RiskConfig {
  /**
   * Refuse sells that would take a spot position below zero.
   */
  long_only?: boolean;
  /**
   * Turn trading off when equity falls this fraction below its peak (0.2 = 20%).
   */
  max_drawdown?: string | number | null;
  /**
   * Largest Σ |position| × mark over instruments, counting this order.
   */
  max_gross_exposure?: string | number | null;
  /**
   * Most live orders (in flight or open) per instrument; `DEFAULT_MAX_OPEN_ORDERS` (10,000)
   * when unset, so a runaway strategy gets refusals instead of an ever-growing book.
   */
  max_open_orders_per_instrument?: number | null;
  /**
   * Largest price × quantity of one order.
   */
  max_order_notional?: string | number | null;
  /**
   * Largest quantity of one order.
   */
  max_order_quantity?: string | number | null;
  /**
   * Largest |position + live orders + this order| × price per instrument.
   */
  max_position_notional?: string | number | null;
  /**
   * Largest |price − mark| / mark of an order (a fraction: 0.05 = 5%).
   */
  max_price_deviation?: string | number | null;
}
/**
 * barter's `SystemConfig` nested under `system`, with Tidemark's extensions beside it.
 */
export interface BarterNestedConfig {
  engine?: EngineOptions;
  risk?: RiskConfig;
  /**
   * Annual risk-free rate as a fraction, for the ratios.
   */
  risk_free_return?: string | number | null;
  /**
   * The built-in strategy.
   */
  strategy?: StrategyConfig | null;
  system: SystemSection;
}
/**
 * barter's `system` section (its `backtest_config.json` nests these).
 */
export interface SystemSection {
  /**
   * The simulated exchanges.
   */
  executions: ExecutionConfig[];
  /**
   * The instruments.
   */
  instruments: InstrumentConfig[];
}
/**
 * The fields of a quick config (`cash` in units of `quote`, `commission` a fraction of notional). `engine`, `risk` and `strategy` are passed through as written, so
 * their errors carry the same paths as in a full config.
 */
export interface QuickConfig {
  /**
   * Starting cash, in units of `quote`.
   */
  cash: string | number;
  /**
   * Commission as a fraction of notional, charged on entry and exit (0.002 = 0.2 %).
   */
  commission?: string | number;
  /**
   * Engine options, as in the full config.
   */
  engine?: EngineOptions | null;
  /**
   * The cash asset (default `"usd"`).
   */
  quote?: string | null;
  /**
   * Risk knobs, as in the full config.
   */
  risk?: RiskConfig | null;
  /**
   * Annual risk-free rate as a fraction, for the ratios.
   */
  risk_free_return?: string | number | null;
  /**
   * The built-in strategy; without `sizing` it buys with all the cash in whole units.
   */
  strategy?: StrategyConfig | null;
  /**
   * The instrument's name, which data rows map to (default `"ASSET"`).
   */
  symbol?: string | null;
}
