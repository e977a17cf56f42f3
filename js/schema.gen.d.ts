// Generated from schema/*.schema.json by scripts/gen-types.mjs; do not edit.

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
 * How far a trailing trigger stays from the best price.
 */
export type Trailing =
  | {
      Distance: string | number;
    }
  | {
      Percent: string | number;
    };
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
  | 'InstrumentKindUnsupported'
  | {
      RiskRefused: RiskRefusal;
    };
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
      /**
       * Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
       */
      stop_loss?: string | number | null;
      /**
       * Take-profit attached to each entry, percent above the entry's reference price (> 0).
       */
      take_profit?: string | number | null;
      /**
       * Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
       */
      trailing_stop?: string | number | null;
      type: 'buy_and_hold';
    }
  | {
      /**
       * Short on the cross below (non-spot instruments only).
       */
      allow_short?: boolean;
      /**
       * Fast length (10).
       */
      fast?: number;
      sizing?: Sizing;
      /**
       * Slow length (20).
       */
      slow?: number;
      /**
       * Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
       */
      stop_loss?: string | number | null;
      /**
       * Take-profit attached to each entry, percent above the entry's reference price (> 0).
       */
      take_profit?: string | number | null;
      /**
       * Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
       */
      trailing_stop?: string | number | null;
      type: 'sma_cross';
    }
  | {
      /**
       * Short on the cross below (non-spot instruments only).
       */
      allow_short?: boolean;
      /**
       * Fast length (10).
       */
      fast?: number;
      sizing?: Sizing;
      /**
       * Slow length (20).
       */
      slow?: number;
      /**
       * Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
       */
      stop_loss?: string | number | null;
      /**
       * Take-profit attached to each entry, percent above the entry's reference price (> 0).
       */
      take_profit?: string | number | null;
      /**
       * Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
       */
      trailing_stop?: string | number | null;
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
      /**
       * Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
       */
      stop_loss?: string | number | null;
      /**
       * Take-profit attached to each entry, percent above the entry's reference price (> 0).
       */
      take_profit?: string | number | null;
      /**
       * Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
       */
      trailing_stop?: string | number | null;
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
      /**
       * Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
       */
      stop_loss?: string | number | null;
      /**
       * Take-profit attached to each entry, percent above the entry's reference price (> 0).
       */
      take_profit?: string | number | null;
      /**
       * Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
       */
      trailing_stop?: string | number | null;
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
 * Every event shape the engine takes from outside, for the JSON Schema only: market stream items
 * (what backtests and `System.feed` read), account stream items (`feedAccount`), commands, and
 * bare market and account events.
 */
export type EventInput = MarketEventStreamItem | AccountEventStreamItem | Command | MarketEvent | AccountEvent;
/**
 * A stream item or a reconnect marker (barter's `reconnect::Event`).
 */
export type MarketEventStreamItem =
  | {
      Reconnecting: ExchangeId;
    }
  | {
      Item: MarketEvent;
    };
/**
 * Dense index of an instrument.
 */
export type InstrumentIndex = number;
/**
 * Kinds of market data (barter's `DataKind`).
 */
export type DataKind =
  | {
      Trade: PublicTrade;
    }
  | {
      OrderBookL1: OrderBookL1;
    }
  | {
      OrderBook: OrderBookEvent;
    }
  | {
      Candle: Candle;
    }
  | {
      Liquidation: Liquidation;
    };
/**
 * Level 2 book event.
 */
export type OrderBookEvent =
  | {
      Snapshot: OrderBook;
    }
  | {
      Update: OrderBook;
    };
/**
 * A stream item or a reconnect marker (barter's `reconnect::Event`).
 */
export type AccountEventStreamItem =
  | {
      Reconnecting: ExchangeId;
    }
  | {
      Item: AccountEvent;
    };
/**
 * Dense index of an exchange (sorted as barter sorts them).
 */
export type ExchangeIndex = number;
/**
 * Kinds of account events.
 */
export type AccountEventKind =
  | {
      Snapshot: AccountSnapshot;
    }
  | {
      BalanceSnapshot: AssetBalance;
    }
  | {
      OrderSnapshot: OrderOrderState;
    }
  | {
      OrderCancelled: OrderEventResultOf_CancelledOr_OrderError;
    }
  | {
      Trade: Trade;
    };
/**
 * Dense index of an (exchange, asset) pair.
 */
export type AssetIndex = number;
/**
 * Which exit of a bracket an order is.
 */
export type ExitKind = 'StopLoss' | 'TrailingStop' | 'TakeProfit';
export type ResultOf_CancelledOr_OrderError =
  | {
      Ok: Cancelled;
    }
  | {
      Err: OrderError;
    };
/**
 * An exchange-assigned trade (fill) id.
 */
export type TradeId = string;
/**
 * A command to the engine.
 */
export type Command =
  | {
      SendCancelRequests: OneOrManyOrderEventRequestCancel;
    }
  | {
      SendOpenRequests: OneOrManyOrderEventRequestOpen;
    }
  | {
      ClosePositions: InstrumentFilter;
    }
  | {
      CancelOrders: InstrumentFilter;
    };
/**
 * barter's `OneOrMany`: `{"One": x}` or `{"Many": [x, ...]}`.
 */
export type OneOrManyOrderEventRequestCancel =
  | {
      One: OrderEventRequestCancel;
    }
  | {
      Many: OrderEventRequestCancel[];
    };
/**
 * barter's `OneOrMany`: `{"One": x}` or `{"Many": [x, ...]}`.
 */
export type OneOrManyOrderEventRequestOpen =
  | {
      One: OrderEventRequestOpen;
    }
  | {
      Many: OrderEventRequestOpen[];
    };
/**
 * Selects instruments for a command.
 */
export type InstrumentFilter =
  | 'None'
  | {
      Exchanges: OneOrManyExchangeIndex;
    }
  | {
      Instruments: OneOrManyInstrumentIndex;
    }
  | {
      Underlyings: OneOrManyUnderlying;
    };
/**
 * barter's `OneOrMany`: `{"One": x}` or `{"Many": [x, ...]}`.
 */
export type OneOrManyExchangeIndex =
  | {
      One: ExchangeIndex;
    }
  | {
      Many: ExchangeIndex[];
    };
/**
 * barter's `OneOrMany`: `{"One": x}` or `{"Many": [x, ...]}`.
 */
export type OneOrManyInstrumentIndex =
  | {
      One: InstrumentIndex;
    }
  | {
      Many: InstrumentIndex[];
    };
/**
 * barter's `OneOrMany`: `{"One": x}` or `{"Many": [x, ...]}`.
 */
export type OneOrManyUnderlying =
  | {
      One: UnderlyingEvents;
    }
  | {
      Many: UnderlyingEvents[];
    };
/**
 * A ratio that can be infinite (a profit factor with no losing trade).
 */
export type Ratio =
  | {
      Finite: string;
    }
  | 'Infinite';
/**
 * Every record of an audit trail, for the JSON Schema only: the snapshot a trail starts with
 * (`System.snapshot()`) and the ticks that follow it.
 */
export type AuditRecord = AuditSnapshot | AuditTick;
/**
 * Health of one stream.
 */
export type Health = 'Healthy' | 'Reconnecting';
/**
 * Which observation the mark price comes from: the latest one that carried a price.
 */
export type MarkSource = 'None' | 'Trade' | 'Close' | 'Mid';
/**
 * Live orders of one instrument, in the order they were first seen.
 */
export type Orders = OrderActiveOrderState[];
/**
 * An input to the engine.
 */
export type EngineEvent =
  | {
      Shutdown: Shutdown;
    }
  | {
      Command: Command;
    }
  | {
      TradingStateUpdate: TradingState;
    }
  | {
      Account: AccountEventStreamItem;
    }
  | {
      Market: MarketEventStreamItem;
    };
/**
 * barter's unit `Shutdown` struct, so that JSON is `{"Shutdown": null}`.
 */
export type Shutdown = null;
/**
 * One consequence of processing an event.
 */
export type Output =
  | {
      OrdersSent: SentOrders;
    }
  | {
      OrdersRefused: RefusedOrders;
    }
  | {
      PositionExited: PositionExited;
    }
  | {
      TradingStateChanged: {
        current: TradingState;
        previous: TradingState;
        /**
         * Why.
         */
        reason: string;
      };
    }
  | {
      Disconnected: {
        exchange: ExchangeId;
        stream: StreamKind;
      };
    };
/**
 * Why requests were sent.
 */
export type Origin = 'Strategy' | 'Command' | 'ClosePositions' | 'CancelOrders' | 'OnDisconnect' | 'OnTradingDisabled';
/**
 * Which stream of an exchange.
 */
export type StreamKind = 'Market' | 'Account';

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
   * Resting orders (limit or stop orders in the `Active(Open)` state).
   */
  orders?: InitialOrder[];
}
/**
 * A starting order.
 */
export interface InitialOrder {
  /**
   * Tidemark extension: exits placed once the order fills (as on an open request).
   */
  bracket?: Bracket | null;
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
  /**
   * Tidemark extension: the stop trigger of a resting stop order, armed from the start (as on
   * an open request: a fixed price or a trailing offset trailing from `price`).
   */
  trigger?: Trigger | null;
}
/**
 * Exits attached to an entry order, placed for each filled quantity once it fills. They are
 * one-cancels-other: when one fills, the others shrink by as much (and are cancelled when it
 * completes); when the position closes by other means they are cancelled.
 */
export interface Bracket {
  /**
   * Stop-loss trigger price: a stop-market exit (below a buy entry).
   */
  stop_loss?: string | number | null;
  /**
   * Take-profit price: a limit exit (above a buy entry).
   */
  take_profit?: string | number | null;
  /**
   * A trailing stop-market exit, trailing from the entry's fill price.
   */
  trailing_stop?: Trailing | null;
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
 * Why a risk check refused a request: the knob, its limit and the value that broke it. Defined
 * with the order errors (a stop refused when it triggers carries one); `risk` re-exports it.
 */
export interface RiskRefusal {
  /**
   * The check or knob, e.g. `max_order_notional`.
   */
  check: string;
  /**
   * The configured limit, when numeric.
   */
  limit?: string | number | null;
  /**
   * Human-readable reason.
   */
  message: string;
  /**
   * The value that exceeded it, when numeric.
   */
  value?: string | number | null;
}
/**
 * The trigger of a stop order: a fixed price, or a trailing offset from the best price seen.
 */
export interface Trigger {
  /**
   * Fixed trigger price: a buy stop triggers at or above it, a sell stop at or below it.
   */
  price?: string | number | null;
  /**
   * Trailing offset (exclusive with `price`): the trigger follows the best price since the
   * order was placed (the highest for sells, the lowest for buys), starting from the order's
   * reference `price`.
   */
  trailing?: Trailing | null;
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
/**
 * One market data observation for one instrument.
 */
export interface MarketEvent {
  exchange: ExchangeId;
  instrument: InstrumentIndex;
  kind: DataKind;
  time_exchange: Timestamp;
  time_received: Timestamp;
}
/**
 * A public trade. barter carries price and amount as f64; they are read exactly into decimals.
 */
export interface PublicTrade {
  /**
   * Quantity.
   */
  amount: string | number;
  /**
   * Venue trade id.
   */
  id: string;
  /**
   * Price.
   */
  price: string | number;
  side: Side;
}
/**
 * Best bid and ask.
 */
export interface OrderBookL1 {
  /**
   * Best ask.
   */
  best_ask?: Level | null;
  /**
   * Best bid.
   */
  best_bid?: Level | null;
  last_update_time: Timestamp;
}
/**
 * A price level.
 */
export interface Level {
  /**
   * Quantity at that price.
   */
  amount: string | number;
  /**
   * Price.
   */
  price: string | number;
}
/**
 * Book sides.
 */
export interface OrderBook {
  asks: Levels;
  bids: Levels;
  /**
   * Venue sequence number.
   */
  sequence: number;
  /**
   * Engine time, if stamped.
   */
  time_engine?: Timestamp | null;
}
/**
 * A side of a book.
 */
export interface Levels {
  /**
   * The levels.
   */
  levels: Level[];
}
/**
 * An OHLCV bar. `close_time` labels the bar; for daily files it is the date.
 */
export interface Candle {
  /**
   * Close.
   */
  close: string | number;
  close_time: Timestamp;
  /**
   * High.
   */
  high: string | number;
  /**
   * Low.
   */
  low: string | number;
  /**
   * Open.
   */
  open: string | number;
  /**
   * Number of trades (0 when unknown).
   */
  trade_count?: number;
  /**
   * Traded volume.
   */
  volume: string | number;
}
/**
 * A forced liquidation.
 */
export interface Liquidation {
  /**
   * Price.
   */
  price: string | number;
  /**
   * Quantity.
   */
  quantity: string | number;
  side: Side;
  time: Timestamp;
}
/**
 * An event from one exchange account.
 */
export interface AccountEvent {
  exchange: ExchangeIndex;
  kind: AccountEventKind;
}
/**
 * Full account state of one exchange.
 */
export interface AccountSnapshot {
  /**
   * Balances.
   */
  balances: AssetBalance[];
  exchange: ExchangeIndex;
  /**
   * Orders per instrument.
   */
  instruments: InstrumentAccountSnapshot[];
}
/**
 * A timed balance of one asset.
 */
export interface AssetBalance {
  asset: AssetIndex;
  balance: Balance;
  time_exchange: Timestamp;
}
/**
 * Orders of one instrument in a snapshot.
 */
export interface InstrumentAccountSnapshot {
  instrument: InstrumentIndex;
  /**
   * Its orders.
   */
  orders?: OrderOrderState[];
}
/**
 * An order with a state.
 */
export interface OrderOrderState {
  /**
   * The exits this entry places once it fills.
   */
  bracket?: Bracket | null;
  /**
   * Set on the exits the exchange placed for a bracketed entry.
   */
  exit_of?: ExitOf | null;
  key: OrderKey;
  kind: OrderKind;
  /**
   * Limit (or reference) price.
   */
  price: string | number;
  /**
   * Total quantity.
   */
  quantity: string | number;
  side: Side;
  state: OrderState;
  time_in_force: TimeInForce;
  /**
   * The stop trigger while it is armed (none once triggered, or for plain orders).
   */
  trigger?: Trigger | null;
}
/**
 * Marks an order the exchange placed as an exit of a bracketed entry.
 */
export interface ExitOf {
  entry: ClientOrderId;
  exit: ExitKind;
}
/**
 * Identifies an order across its life.
 */
export interface OrderKey {
  cid: ClientOrderId;
  exchange: ExchangeIndex;
  instrument: InstrumentIndex;
  strategy: StrategyId;
}
/**
 * barter's `OrderEvent<State>`: a key and a state.
 */
export interface OrderEventResultOf_CancelledOr_OrderError {
  key: OrderKey;
  state: ResultOf_CancelledOr_OrderError;
}
/**
 * A fill of one of our orders.
 */
export interface Trade {
  fees: AssetFees;
  id: TradeId;
  instrument: InstrumentIndex;
  order_id: OrderId;
  /**
   * Fill price.
   */
  price: string | number;
  /**
   * Fill quantity (positive).
   */
  quantity: string | number;
  side: Side;
  strategy: StrategyId;
  time_exchange: Timestamp;
}
/**
 * Fees of a fill; always in the instrument's quote asset (barter writes `"asset": null`).
 */
export interface AssetFees {
  /**
   * Fee asset (null: the quote asset).
   */
  asset?: AssetIndex | null;
  /**
   * Amount.
   */
  fees: string | number;
}
/**
 * barter's `OrderEvent<State>`: a key and a state.
 */
export interface OrderEventRequestCancel {
  key: OrderKey;
  state: RequestCancel;
}
/**
 * The body of a cancel request: the exchange order id if known.
 */
export interface RequestCancel {
  /**
   * Exchange order id, when the order is known to be open.
   */
  id?: OrderId | null;
}
/**
 * barter's `OrderEvent<State>`: a key and a state.
 */
export interface OrderEventRequestOpen {
  key: OrderKey;
  state: RequestOpen;
}
/**
 * The body of an open request.
 */
export interface RequestOpen {
  /**
   * Tidemark extension: exits placed once this entry fills (one-cancels-other).
   */
  bracket?: Bracket | null;
  kind: OrderKind;
  /**
   * Limit price; for market orders the reference price the strategy saw (used by risk checks).
   */
  price: string | number;
  /**
   * Quantity in base units (positive).
   */
  quantity: string | number;
  side: Side;
  /**
   * Tidemark extension: let the exchange size a market buy at fill time (see `FillSizing`).
   * `quantity` is then the estimate risk checks use.
   */
  sizing?: FillSizing | null;
  time_in_force: TimeInForce;
  /**
   * Tidemark extension: a stop trigger. With it a `Market` order is a stop-market order and a
   * `Limit` order a stop-limit order (`price` is then the limit); for a trailing stop-market
   * order `price` is the reference the trailing starts from.
   */
  trigger?: Trigger | null;
}
/**
 * Size decided by the exchange when a market buy fills, like a venue's "quote order quantity":
 * spend `fraction` of the free quote balance, fees included, rounded down to `increment`.
 */
export interface FillSizing {
  /**
   * Share of the free quote balance to spend, in (0, 1].
   */
  fraction: string | number;
  /**
   * Quantity step to round down to (1 for whole units); none keeps full precision.
   */
  increment?: string | number | null;
}
/**
 * Base and quote assets of an instrument.
 */
export interface UnderlyingEvents {
  base: AssetIndex;
  quote: AssetIndex;
}
/**
 * A backtest report as JSON (what `backtestJson` returns and `backtest` parses): the summary for
 * one interval, closed trades, trades still open at the end, the equity curve (at most 10,000
 * points), run counters, and `backtesting_py`: the statistics and closed trades under
 * backtesting.py's own keys and units, so a run can be diffed against `Backtest.run()` without a
 * mapping.
 */
export interface ReportJson {
  backtesting_py: BacktestingPy;
  /**
   * The equity curve (downsampled by stride past 10,000 points; first and last kept).
   */
  equity_curve: EquityCurvePoint[];
  /**
   * Trades still open at the end, marked to the last price.
   */
  open_trades: TradeRecord[];
  stats: RunStats;
  summary: TradingSummary;
  /**
   * Closed trades, in exit order.
   */
  trades: TradeRecord[];
}
/**
 * The statistics and `_trades` of backtesting.py 0.6.6, under its keys and in its units.
 */
export interface BacktestingPy {
  /**
   * `"Start"` … `"Kelly Criterion"` (durations in seconds); null without an equity curve.
   */
  stats: {
    [k: string]: unknown;
  } | null;
  /**
   * Closed trades as `_trades` rows.
   */
  trades: BacktestingPyTrade[];
}
/**
 * A row of backtesting.py 0.6.6's `_trades`, under its column names.
 */
export interface BacktestingPyTrade {
  /**
   * Entry and exit commissions.
   */
  Commission: string;
  /**
   * Seconds held.
   */
  Duration: number;
  /**
   * Index of the entry bar.
   */
  EntryBar: number;
  /**
   * Average entry price.
   */
  EntryPrice: string;
  EntryTime: Timestamp;
  /**
   * Index of the exit bar.
   */
  ExitBar: number;
  /**
   * Average exit price.
   */
  ExitPrice: string | null;
  /**
   * Exit time.
   */
  ExitTime: Timestamp | null;
  /**
   * PnL net of commissions.
   */
  PnL: string;
  /**
   * Return as a fraction (backtesting.py's unit, despite the name).
   */
  ReturnPct: string | null;
  /**
   * Stop-loss price (none yet).
   */
  SL: string | null;
  /**
   * Units, negative for a short.
   */
  Size: string;
  /**
   * Take-profit price (none yet).
   */
  TP: string | null;
  /**
   * Strategy tag.
   */
  Tag: string;
}
/**
 * A point of an exported curve, with its drawdown (backtesting.py's `_equity_curve` columns).
 */
export interface EquityCurvePoint {
  /**
   * Seconds since the running peak was set (0 at a peak).
   */
  drawdown_duration_secs: number;
  /**
   * 1 − equity / running peak, as a percentage.
   */
  drawdown_pct: number;
  /**
   * Equity.
   */
  equity: number;
  time: Timestamp;
}
/**
 * One trade (a position from entry to exit).
 */
export interface TradeRecord {
  /**
   * Fees paid.
   */
  commission: string;
  /**
   * Seconds held (to the last point for an open trade).
   */
  duration_secs: number;
  /**
   * Index of the equity point at entry.
   */
  entry_bar: number;
  /**
   * Average entry price.
   */
  entry_price: string;
  entry_time: Timestamp;
  /**
   * Index of the equity point at exit (the last point for an open trade).
   */
  exit_bar: number;
  /**
   * Average exit price; for an open trade, the mark it is valued at.
   */
  exit_price: string | null;
  /**
   * Exit time (none while open).
   */
  exit_time: Timestamp | null;
  /**
   * Instrument internal name.
   */
  instrument: string;
  /**
   * Still open at the end of the run.
   */
  open: boolean;
  /**
   * PnL net of all fees (for an open trade: realised + unrealised).
   */
  pnl: string;
  /**
   * PnL / (size × entry price), in percent (as every `*_pct` field of the report).
   */
  return_pct: string | null;
  side: Side;
  /**
   * Largest size held (positive).
   */
  size: string;
  /**
   * The stop-loss price of the entry's bracket (none without one: backtesting.py's `SL`).
   */
  stop_loss: string | null;
  /**
   * Strategy tag (the strategy id).
   */
  tag: string;
  /**
   * The take-profit price of the entry's bracket (none without one: backtesting.py's `TP`).
   */
  take_profit: string | null;
}
/**
 * Counters of a run.
 */
export interface RunStats {
  /**
   * Account events processed.
   */
  account_events: number;
  /**
   * Cancel requests sent.
   */
  cancels_sent: number;
  /**
   * Fills.
   */
  fills: number;
  /**
   * Market events processed.
   */
  market_events: number;
  /**
   * Requests refused by risk.
   */
  orders_refused: number;
  /**
   * Open requests sent.
   */
  orders_sent: number;
}
/**
 * The summary.
 */
export interface TradingSummary {
  assets: Ordered_TearSheetAsset;
  instruments: Ordered_TearSheet;
  interval: SummaryInterval;
  /**
   * Its label ("Daily", "Annual(252)", ...).
   */
  interval_label: string;
  /**
   * Portfolio statistics (backtesting.py's definitions).
   */
  portfolio: PortfolioStats | null;
  /**
   * Risk-free return used by the ratios.
   */
  risk_free_return: string;
  /**
   * JSON schema version.
   */
  schema_version: number;
  time_engine_end: Timestamp;
  time_engine_start: Timestamp;
  /**
   * end − start, seconds.
   */
  trading_duration_secs: number;
}
export interface Ordered_TearSheetAsset {
  [k: string]: TearSheetAsset;
}
/**
 * Per-asset balance statistics.
 */
export interface TearSheetAsset {
  /**
   * Final balance.
   */
  balance_end: BalanceReport | null;
  /**
   * Current drawdown of the total balance.
   */
  drawdown: Drawdown | null;
  /**
   * Deepest drawdown.
   */
  drawdown_max: Drawdown | null;
  /**
   * Mean drawdown.
   */
  drawdown_mean: MeanDrawdown | null;
}
/**
 * Balance of one asset.
 */
export interface BalanceReport {
  /**
   * Not reserved by open orders.
   */
  free: string;
  /**
   * Everything held.
   */
  total: string;
}
/**
 * One drawdown episode.
 */
export interface Drawdown {
  /**
   * peak − trough.
   */
  amount: string;
  time_end: Timestamp;
  time_start: Timestamp;
  /**
   * (peak − trough) / peak as a positive fraction; None when the peak was not positive.
   */
  value: string | null;
}
/**
 * Mean drawdown over completed episodes (and the current one when summarised).
 */
export interface MeanDrawdown {
  /**
   * Episodes counted.
   */
  count: number;
  /**
   * Mean relative depth over episodes whose depth is defined.
   */
  mean_drawdown: string | null;
  /**
   * Mean duration in milliseconds (exact mean, not integer-divided as barter does).
   */
  mean_drawdown_ms: string;
}
export interface Ordered_TearSheet {
  [k: string]: TearSheet;
}
/**
 * Per-instrument statistics of closed positions.
 */
export interface TearSheet {
  /**
   * Calmar ratio; null without a drawdown.
   */
  calmar_ratio: string | null;
  /**
   * Realised PnL of closed positions (net of fees). Every figure below but `pnl_open` is of
   * closed positions only.
   */
  pnl: string;
  /**
   * The current (unfinished) drawdown of cumulative PnL.
   */
  pnl_drawdown: Drawdown | null;
  /**
   * Deepest drawdown.
   */
  pnl_drawdown_max: Drawdown | null;
  /**
   * Mean drawdown.
   */
  pnl_drawdown_mean: MeanDrawdown | null;
  /**
   * PnL of the position still open at the end (realised part and unrealised, net of fees), so
   * `pnl + pnl_open` is the instrument's whole contribution to the equity change.
   */
  pnl_open: string;
  /**
   * Mean position return scaled linearly to the interval.
   */
  pnl_return: string | null;
  /**
   * Σ positive returns / |Σ negative returns| (barter divides the net sum by losses).
   */
  profit_factor: Ratio | null;
  /**
   * Sharpe ratio; null when returns do not vary.
   */
  sharpe_ratio: string | null;
  /**
   * Sortino ratio; null without variation among losing returns.
   */
  sortino_ratio: string | null;
  /**
   * Closed positions.
   */
  trades: number;
  /**
   * Share of positions with positive PnL (barter reports the loss rate here).
   */
  win_rate: string | null;
}
/**
 * The statistics. Field names are snake_case; `backtesting_py()` gives backtesting.py's keys.
 */
export interface PortfolioStats {
  /**
   * Jensen alpha, %.
   */
  alpha_pct: number | null;
  /**
   * Mean drawdown episode, seconds (rounded up).
   */
  avg_drawdown_duration_secs: number | null;
  /**
   * Mean drawdown episode depth, % (positive).
   */
  avg_drawdown_pct: number | null;
  /**
   * Mean trade, seconds (rounded up).
   */
  avg_trade_duration_secs: number | null;
  /**
   * Geometric mean trade return, %.
   */
  avg_trade_pct: number | null;
  /**
   * Best trade return, %.
   */
  best_trade_pct: number | null;
  /**
   * Beta against the benchmark.
   */
  beta: number | null;
  /**
   * Benchmark return from the first tradable point, %.
   */
  buy_and_hold_return_pct: number | null;
  /**
   * Compound annual growth rate, %.
   */
  cagr_pct: number | null;
  /**
   * Calmar ratio.
   */
  calmar_ratio: number | null;
  /**
   * Fees of closed trades (money: decimal text).
   */
  commissions: string;
  /**
   * end − start, seconds.
   */
  duration_secs: number;
  end: Timestamp;
  /**
   * Last equity (money: decimal text).
   */
  equity_final: string;
  /**
   * Highest equity (money: decimal text).
   */
  equity_peak: string;
  /**
   * Arithmetic mean trade return, %.
   */
  expectancy_pct: number | null;
  /**
   * Share of points covered by closed trades, %.
   */
  exposure_time_pct: number;
  /**
   * Kelly criterion.
   */
  kelly_criterion: number | null;
  /**
   * Longest drawdown episode, seconds (rounded up to the data resolution).
   */
  max_drawdown_duration_secs: number | null;
  /**
   * Maximum drawdown: depth below the peak, % (positive, as every drawdown in Tidemark's own
   * fields; `backtesting_py()` gives it backtesting.py's negative sign).
   */
  max_drawdown_pct: number;
  /**
   * Longest trade, seconds (rounded up).
   */
  max_trade_duration_secs: number | null;
  /**
   * Periods per year used to annualise.
   */
  periods_per_year: number;
  /**
   * Σ positive returns / |Σ negative returns|.
   */
  profit_factor: number | null;
  /**
   * Annualised geometric return, %.
   */
  return_ann_pct: number | null;
  /**
   * Total return, %.
   */
  return_pct: number;
  /**
   * Sharpe ratio (annualised).
   */
  sharpe_ratio: number | null;
  /**
   * Sortino ratio (annualised).
   */
  sortino_ratio: number | null;
  /**
   * System quality number.
   */
  sqn: number | null;
  start: Timestamp;
  /**
   * Closed trades.
   */
  trades: number;
  /**
   * Annualised volatility, %.
   */
  volatility_ann_pct: number | null;
  /**
   * Share of trades with PnL > 0, %.
   */
  win_rate_pct: number | null;
  /**
   * Worst trade return, %.
   */
  worst_trade_pct: number | null;
}
/**
 * The start of an audit trail: the state before any tick, at sequence 0.
 */
export interface AuditSnapshot {
  /**
   * Sequence of the snapshot (ticks continue from it).
   */
  sequence: number;
  state: EngineState;
}
/**
 * The whole engine state. Serialisable: it is the audit snapshot.
 */
export interface EngineState {
  /**
   * Balances by asset index.
   */
  assets: AssetState[];
  connectivity: Connectivity;
  /**
   * Per instrument, by index.
   */
  instruments: InstrumentState[];
  time: Timestamp;
  /**
   * Time of the latest market event (the backwards check compares against it).
   */
  time_market?: Timestamp | null;
  time_start: Timestamp;
  trading: TradingState;
}
/**
 * One asset's balance as last reported by its exchange.
 */
export interface AssetState {
  /**
   * Balance, once reported.
   */
  balance?: Balance | null;
  /**
   * When it was reported.
   */
  time_exchange?: Timestamp | null;
}
/**
 * Health of every exchange; `global` is Healthy only when every stream is.
 */
export interface Connectivity {
  /**
   * Per exchange index.
   */
  exchanges: ExchangeHealth[];
  global: Health;
}
/**
 * Health of one exchange's two streams.
 */
export interface ExchangeHealth {
  account: Health;
  market_data: Health;
}
/**
 * Everything the engine tracks for one instrument.
 */
export interface InstrumentState {
  market: MarketState;
  orders: Orders;
  /**
   * Open position, if any.
   */
  position?: Position | null;
  stats: FillStats;
}
/**
 * Market data of one instrument.
 */
export interface MarketState {
  /**
   * Best ask.
   */
  best_ask?: Level | null;
  /**
   * Best bid.
   */
  best_bid?: Level | null;
  /**
   * Level 2 book, once any L2 event arrived.
   */
  book?: BookState | null;
  /**
   * Last bar close.
   */
  last_close?: string | number | null;
  /**
   * Last public trade price.
   */
  last_trade_price?: string | number | null;
  mark_source: MarkSource;
  /**
   * Time of the last market event applied.
   */
  time?: Timestamp | null;
}
/**
 * Book state for one instrument.
 */
export interface BookState {
  /**
   * Asks, lowest first.
   */
  asks: Level[];
  /**
   * Bids, highest first.
   */
  bids: Level[];
  /**
   * Last applied venue sequence.
   */
  sequence: number;
}
/**
 * An order with a state.
 */
export interface OrderActiveOrderState {
  /**
   * The exits this entry places once it fills.
   */
  bracket?: Bracket | null;
  /**
   * Set on the exits the exchange placed for a bracketed entry.
   */
  exit_of?: ExitOf | null;
  key: OrderKey;
  kind: OrderKind;
  /**
   * Limit (or reference) price.
   */
  price: string | number;
  /**
   * Total quantity.
   */
  quantity: string | number;
  side: Side;
  state: ActiveOrderState;
  time_in_force: TimeInForce;
  /**
   * The stop trigger while it is armed (none once triggered, or for plain orders).
   */
  trigger?: Trigger | null;
}
/**
 * An open position.
 */
export interface Position {
  /**
   * Σ quantity of the fills that reduced it.
   */
  exit_quantity: string | number;
  /**
   * Σ quantity × price of the fills that reduced it (for the average exit price).
   */
  exit_value: string | number;
  /**
   * Fees paid entering.
   */
  fees_enter: string | number;
  /**
   * Fees paid exiting.
   */
  fees_exit: string | number;
  /**
   * Estimated fee to exit what is left: (quantity / max quantity) × entry fees (barter's rule).
   * Kept up to date on each fill so that marking needs no division.
   */
  fees_exit_estimate: string | number;
  instrument: InstrumentIndex;
  /**
   * Realised PnL so far, net of all fees paid.
   */
  pnl_realised: string | number;
  /**
   * Unrealised PnL at the last mark, net of estimated exit fees (barter's rule).
   */
  pnl_unrealised: string | number;
  /**
   * Weighted average entry price.
   */
  price_entry_average: string | number;
  /**
   * Current size.
   */
  quantity_abs: string | number;
  /**
   * Largest size reached.
   */
  quantity_abs_max: string | number;
  side: Side;
  time_enter: Timestamp;
  time_exchange_update: Timestamp;
  /**
   * Fills that made it.
   */
  trades: TradeId[];
}
/**
 * Running totals of fills per instrument (from account Trade events).
 */
export interface FillStats {
  /**
   * Fees paid, in quote.
   */
  fees: string | number;
  /**
   * Number of fills.
   */
  fills: number;
  /**
   * Realised PnL of closed positions (net of fees).
   */
  pnl_realised_closed: string | number;
  /**
   * Number of closed positions.
   */
  positions_closed: number;
  /**
   * Base quantity bought.
   */
  quantity_bought: string | number;
  /**
   * Base quantity sold.
   */
  quantity_sold: string | number;
  /**
   * Quote received for sells (before fees).
   */
  quote_received: string | number;
  /**
   * Quote paid for buys (before fees).
   */
  quote_spent: string | number;
}
/**
 * The record of one processed event. A tick handed to a sink borrows the event from whoever
 * holds it (a backtest's data, the caller of `feed`): copying every event into its tick was a
 * measurable share of the per-event cost, most of all in wasm. Keep one with `to_owned_tick`.
 */
export interface AuditTick {
  event: EngineEvent;
  /**
   * What it caused.
   */
  outputs: Output[];
  /**
   * 1 for the first event after the snapshot, then +1 per event.
   */
  sequence: number;
  time: Timestamp;
}
/**
 * Requests sent to exchanges (recorded in flight).
 */
export interface SentOrders {
  /**
   * Cancels.
   */
  cancels: OrderEventRequestCancel[];
  /**
   * Opens.
   */
  opens: OrderEventRequestOpen[];
  origin: Origin;
}
/**
 * Refused requests.
 */
export interface RefusedOrders {
  /**
   * Cancels.
   */
  cancels: Refused2[];
  /**
   * Opens.
   */
  opens: Refused[];
}
/**
 * A request the risk manager (or the engine's own checks) refused.
 */
export interface Refused2 {
  reason: RiskRefusal;
  request: OrderEventRequestCancel;
}
/**
 * A request the risk manager (or the engine's own checks) refused.
 */
export interface Refused {
  reason: RiskRefusal;
  request: OrderEventRequestOpen;
}
/**
 * A closed position.
 */
export interface PositionExited {
  /**
   * Entry fees.
   */
  fees_enter: string | number;
  /**
   * Exit fees.
   */
  fees_exit: string | number;
  instrument: InstrumentIndex;
  /**
   * Realised PnL, net of fees.
   */
  pnl_realised: string | number;
  /**
   * Weighted average entry.
   */
  price_entry_average: string | number;
  /**
   * Quantity-weighted average price of the closing fills.
   */
  price_exit_average: string | number;
  /**
   * Largest size reached.
   */
  quantity_abs_max: string | number;
  side: Side;
  time_enter: Timestamp;
  time_exit: Timestamp;
  /**
   * Fills that made it.
   */
  trades: TradeId[];
}
