//! Log records: what an operator wants to read from a tick (fills, rejections, refusals, trading
//! state, disconnects), with a level and structured fields. Derived from audit ticks, so logging
//! costs nothing unless someone asks, and records are as deterministic as the ticks.

use super::{AuditTick, Output};
use crate::event::{AccountEventKind, Command, EngineEvent, StreamEvent};
use crate::instrument::InstrumentIndex;
use crate::order::{InactiveOrderState, OrderError, OrderState, Side};
use crate::state::{StreamKind, TradingState};
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Severity, lowest first.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Every order sent.
    Debug,
    /// Fills, closed positions, commands, trading enabled.
    Info,
    /// Refusals, rejections, disconnects, trading disabled.
    Warn,
    /// Reserved for hosts (no engine record is an error: errors are returned).
    Error,
}

impl Level {
    /// Every level's name, lowest first (the JS and Python faces add `off`).
    pub const NAMES: [&'static str; 4] = ["debug", "info", "warn", "error"];

    /// Parses `debug`, `info`, `warn`, `error`.
    pub fn from_name(name: &str) -> Result<Level, crate::error::EngineError> {
        match name {
            "debug" => Ok(Level::Debug),
            "info" => Ok(Level::Info),
            "warn" => Ok(Level::Warn),
            "error" => Ok(Level::Error),
            other => Err(crate::error::EngineError::argument(
                "logLevel",
                format!("{} is not debug, info, warn, error or off", crate::error::quote(other)),
            )),
        }
    }
}

/// One record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogRecord {
    /// Severity.
    pub level: Level,
    /// The tick's sequence number (of the first record, when several were coalesced).
    pub sequence: u64,
    /// Engine time of the tick.
    pub time: Timestamp,
    /// A short fixed name (`fill`, `order refused`, ...), for filtering.
    pub kind: &'static str,
    /// Plain text for a reader: the kind, then for refusals, rejections, disconnects and trading
    /// disabled what it concerns and why (`order refused: SPX buy 1 @ 100: max_order_notional:
    /// ...`); ` (×N)` when N records were coalesced into this one.
    pub message: String,
    /// Structured details (decimals as strings), of the first record when coalesced.
    pub fields: Value,
    /// How many records this one stands for (see `LogBatch`).
    pub count: u64,
    /// What makes records "the same" for coalescing; none for records that are never coalesced.
    #[serde(skip)]
    group: Option<String>,
}

/// Instrument names by index, for messages (a record's fields keep the index). Missing names
/// read `instrument N`.
pub type Names<'a> = &'a [String];

fn instrument_name(names: Names<'_>, i: InstrumentIndex) -> String {
    names.get(i.0).cloned().unwrap_or_else(|| format!("instrument {}", i.0))
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Buy => "buy",
        Side::Sell => "sell",
    }
}

/// The kind of an order error without its details (which carry amounts that differ record to
/// record): `Rejected(BalanceInsufficient`, `Connectivity(Timeout`.
fn error_kind(e: &OrderError) -> String {
    let debug = format!("{e:?}");
    let cut = debug.match_indices('(').nth(1).map_or(debug.len(), |(i, _)| i);
    debug[..cut].to_string()
}

/// Appends the records of `tick` at `min` or above to `out`.
#[inline]
pub fn records(tick: &AuditTick, min: Level, names: Names<'_>, out: &mut LogBatch) {
    // Most ticks are a market event that caused nothing, and have no record at any level: no
    // call for them (a backtest's log sink sees every tick).
    if tick.outputs.is_empty() && matches!(tick.event.as_ref(), EngineEvent::Market(_)) {
        return;
    }
    records_of(tick, min, names, out)
}

/// `records` of a tick that may have some.
fn records_of(tick: &AuditTick, min: Level, names: Names<'_>, out: &mut LogBatch) {
    let mut rec = Records { tick, min, out };
    match tick.event.as_ref() {
        EngineEvent::Account(StreamEvent::Item(a)) => match &a.kind {
            AccountEventKind::Trade(t) => rec.push(Level::Info, "fill", &|| {
                (
                    None,
                    String::new(),
                    json!({"instrument": t.instrument, "side": t.side, "price": t.price, "quantity": t.quantity, "fees": t.fees.fees, "order_id": t.order_id, "strategy": t.strategy}),
                )
            }),
            AccountEventKind::OrderSnapshot(o) => {
                if let OrderState::Inactive(InactiveOrderState::OpenFailed(e)) = &o.state {
                    rec.push(Level::Warn, "order rejected", &|| {
                        let what = format!(
                            "{} {} {} @ {}",
                            instrument_name(names, o.key.instrument),
                            side_name(o.side),
                            o.quantity,
                            o.price
                        );
                        (
                            Some(format!("{} {} {}", o.key.instrument.0, side_name(o.side), error_kind(e))),
                            format!("{what}: {e}"),
                            json!({"instrument": o.key.instrument, "cid": o.key.cid, "reason": e}),
                        )
                    });
                }
            }
            AccountEventKind::OrderCancelled(c) => {
                if let Err(e) = &c.state {
                    rec.push(Level::Warn, "cancel rejected", &|| {
                        (
                            Some(format!("{} {}", c.key.instrument.0, error_kind(e))),
                            format!("{} {}: {e}", instrument_name(names, c.key.instrument), c.key.cid.0),
                            json!({"instrument": c.key.instrument, "cid": c.key.cid, "reason": e}),
                        )
                    });
                }
            }
            _ => {}
        },
        EngineEvent::Command(c) => {
            let name = match c {
                Command::SendOpenRequests(_) => "SendOpenRequests",
                Command::SendCancelRequests(_) => "SendCancelRequests",
                Command::ClosePositions(_) => "ClosePositions",
                Command::CancelOrders(_) => "CancelOrders",
            };
            rec.push(Level::Info, "command", &|| (None, String::new(), json!({"command": name})));
        }
        EngineEvent::Shutdown(_) => rec.push(Level::Info, "shutdown", &|| (None, String::new(), json!({}))),
        _ => {}
    }
    for output in &tick.outputs {
        match output {
            Output::OrdersSent(s) => {
                for o in &s.opens {
                    rec.push(Level::Debug, "order sent", &|| {
                        (
                            None,
                            String::new(),
                            json!({"origin": s.origin, "instrument": o.key.instrument, "cid": o.key.cid, "side": o.state.side, "kind": o.state.kind, "price": o.state.price, "quantity": o.state.quantity}),
                        )
                    });
                }
                for c in &s.cancels {
                    rec.push(Level::Debug, "cancel sent", &|| {
                        (None, String::new(), json!({"origin": s.origin, "instrument": c.key.instrument, "cid": c.key.cid}))
                    });
                }
            }
            Output::OrdersRefused(r) => {
                for o in &r.opens {
                    rec.push(Level::Warn, "order refused", &|| {
                        let (key, st) = (&o.request.key, &o.request.state);
                        (
                            Some(format!("{} {} {}", key.instrument.0, side_name(st.side), o.reason.check)),
                            format!(
                                "{} {} {} @ {}: {}",
                                instrument_name(names, key.instrument),
                                side_name(st.side),
                                st.quantity,
                                st.price,
                                o.reason
                            ),
                            json!({"instrument": key.instrument, "cid": key.cid, "check": o.reason.check, "message": o.reason.message}),
                        )
                    });
                }
                for c in &r.cancels {
                    rec.push(Level::Warn, "cancel refused", &|| {
                        let key = &c.request.key;
                        (
                            Some(format!("{} {}", key.instrument.0, c.reason.check)),
                            format!("{} {}: {}", instrument_name(names, key.instrument), key.cid.0, c.reason),
                            json!({"instrument": key.instrument, "cid": key.cid, "check": c.reason.check, "message": c.reason.message}),
                        )
                    });
                }
            }
            Output::PositionExited(p) => rec.push(Level::Info, "position closed", &|| {
                (
                    None,
                    String::new(),
                    json!({"instrument": p.instrument, "side": p.side, "quantity": p.quantity_abs_max, "entry": p.price_entry_average, "exit": p.price_exit_average, "pnl_realised": p.pnl_realised}),
                )
            }),
            Output::TradingStateChanged { current, reason, .. } => {
                if *current == TradingState::Enabled {
                    rec.push(Level::Info, "trading enabled", &|| (None, String::new(), json!({"reason": reason})));
                } else {
                    rec.push(Level::Warn, "trading disabled", &|| (None, reason.clone(), json!({"reason": reason})));
                }
            }
            Output::Disconnected { exchange, stream } => rec.push(Level::Warn, "disconnected", &|| {
                let stream_name = match stream {
                    StreamKind::Market => "market",
                    StreamKind::Account => "account",
                };
                (
                    Some(format!("{exchange} {stream_name}")),
                    format!("{exchange} {stream_name} stream"),
                    json!({"exchange": exchange, "stream": stream}),
                )
            }),
        }
    }
}

/// What a record is made of: its coalescing group, the detail after `kind: ` in the message
/// (none when empty), and its fields.
type Parts = (Option<String>, String, Value);

/// Where `records` writes: a record is only built when its level passes (the default level,
/// warn, drops every fill and closed position).
struct Records<'a, 't> {
    tick: &'a AuditTick<'t>,
    min: Level,
    out: &'a mut LogBatch,
}

impl Records<'_, '_> {
    fn push(&mut self, level: Level, kind: &'static str, parts: &dyn Fn() -> Parts) {
        if level < self.min {
            return;
        }
        let (group, detail, fields) = parts();
        let message = if detail.is_empty() { kind.to_string() } else { format!("{kind}: {detail}") };
        self.out.push(LogRecord {
            level,
            sequence: self.tick.sequence,
            time: self.tick.time,
            kind,
            message,
            fields,
            count: 1,
            group: group.map(|g| format!("{level:?} {kind} {g}")),
        });
    }
}

/// The records of one engine call (a live system's call, a backtest's slice), coalesced: a
/// strategy refused the same way on every bar would otherwise write one identical line per bar.
/// Records of the same group (kind, instrument, side and reason kind: the refusal's check, the
/// rejection's error) are counted on the first one (`count`, ` (×N)` in the message); fills,
/// closed positions, orders sent and commands are never coalesced.
#[derive(Default, Debug)]
pub struct LogBatch {
    records: Vec<LogRecord>,
    groups: HashMap<String, usize>,
}

impl LogBatch {
    /// Adds a record, or counts it on the first of its group.
    pub fn push(&mut self, record: LogRecord) {
        if let Some(g) = &record.group {
            if let Some(&i) = self.groups.get(g) {
                self.records[i].count += 1;
                return;
            }
            self.groups.insert(g.clone(), self.records.len());
        }
        self.records.push(record);
    }

    /// The records so far, each counted message marked; empties the batch.
    pub fn take(&mut self) -> Vec<LogRecord> {
        self.groups.clear();
        let mut out = std::mem::take(&mut self.records);
        for r in &mut out {
            if r.count > 1 {
                r.message = format!("{} (×{})", r.message, r.count);
            }
        }
        out
    }

    /// Records held (coalesced ones count once).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when no record is held.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Refused, RefusedOrders};
    use crate::event::Shutdown;
    use crate::instrument::ExchangeIndex;
    use crate::order::{
        ClientOrderId, OrderKey, OrderKind, OrderRequestOpen, RequestOpen, StrategyId, TimeInForce,
    };
    use crate::risk::RiskRefusal;
    use rust_decimal::Decimal;

    fn take(batch: &mut LogBatch) -> Vec<LogRecord> {
        batch.take()
    }

    #[test]
    fn records_filter_by_level() {
        let tick = AuditTick {
            sequence: 7,
            time: Timestamp::from_millis(1_000),
            event: std::borrow::Cow::Owned(EngineEvent::TradingStateUpdate(TradingState::Disabled)),
            outputs: vec![Output::TradingStateChanged {
                previous: TradingState::Enabled,
                current: TradingState::Disabled,
                reason: "drawdown 12% > 10%".into(),
            }],
        };
        let mut batch = LogBatch::default();
        records(&tick, Level::Error, &[], &mut batch);
        assert!(batch.is_empty());
        records(&tick, Level::Info, &[], &mut batch);
        let out = take(&mut batch);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].level, Level::Warn);
        assert_eq!(out[0].kind, "trading disabled");
        assert_eq!(out[0].message, "trading disabled: drawdown 12% > 10%");
        assert_eq!(out[0].fields, json!({"reason": "drawdown 12% > 10%"}));
        assert_eq!(serde_json::to_value(&out[0]).unwrap()["time"], json!("1970-01-01T00:00:01Z"));
        let shutdown = AuditTick {
            sequence: 8,
            time: tick.time,
            event: std::borrow::Cow::Owned(EngineEvent::Shutdown(Shutdown)),
            outputs: vec![],
        };
        records(&shutdown, Level::Debug, &[], &mut batch);
        assert_eq!(take(&mut batch)[0].message, "shutdown");
        assert!(Level::from_name("loud").is_err());
    }

    #[test]
    fn a_market_tick_has_the_records_of_what_it_caused() {
        let mut tick = refusal(3, "100", "max_order_notional");
        tick.event = std::borrow::Cow::Owned(crate::test_util::candles(&["100"]).remove(0));
        let mut batch = LogBatch::default();
        records(&tick, Level::Debug, &[], &mut batch);
        assert_eq!(take(&mut batch).iter().map(|r| r.kind).collect::<Vec<_>>(), ["order refused"]);
        tick.outputs.clear();
        records(&tick, Level::Debug, &[], &mut batch);
        assert!(batch.is_empty());
    }

    fn refusal(sequence: u64, price: &str, check: &str) -> AuditTick<'static> {
        let request = OrderRequestOpen {
            key: OrderKey {
                exchange: ExchangeIndex(0),
                instrument: InstrumentIndex(0),
                strategy: StrategyId("s".into()),
                cid: ClientOrderId(format!("s-{sequence}").into()),
            },
            state: RequestOpen {
                side: Side::Buy,
                price: price.parse().unwrap(),
                quantity: Decimal::ONE,
                kind: OrderKind::Market,
                time_in_force: TimeInForce::ImmediateOrCancel,
                sizing: None,
                trigger: None,
                bracket: None,
            },
        };
        let reason = RiskRefusal {
            check: check.into(),
            limit: Some(Decimal::from(50)),
            value: Some(price.parse().unwrap()),
            message: format!("notional {price} exceeds 50"),
        };
        AuditTick {
            sequence,
            time: Timestamp::from_millis(sequence as i64),
            event: std::borrow::Cow::Owned(EngineEvent::TradingStateUpdate(TradingState::Enabled)),
            outputs: vec![Output::OrdersRefused(RefusedOrders {
                opens: vec![Refused { request, reason }],
                cancels: vec![],
            })],
        }
    }

    #[test]
    fn a_refusal_says_what_and_why_in_plain_text() {
        let mut batch = LogBatch::default();
        records(&refusal(3, "100", "max_order_notional"), Level::Warn, &["BTCUSDT".into()], &mut batch);
        let out = take(&mut batch);
        assert_eq!(
            out[0].message,
            "order refused: BTCUSDT buy 1 @ 100: max_order_notional: notional 100 exceeds 50"
        );
        assert_eq!(out[0].kind, "order refused");
        assert_eq!(out[0].fields["check"], json!("max_order_notional"));
        assert_eq!(out[0].count, 1);
        records(&refusal(3, "100", "max_order_notional"), Level::Warn, &[], &mut batch);
        assert!(take(&mut batch)[0].message.starts_with("order refused: instrument 0 buy 1 @ 100: "));
    }

    #[test]
    fn the_same_refusal_repeated_is_one_record_with_a_count() {
        let mut batch = LogBatch::default();
        for i in 0..5031 {
            records(&refusal(i, &(100 + i).to_string(), "max_order_notional"), Level::Warn, &[], &mut batch);
        }
        records(&refusal(9000, "7", "max_order_quantity"), Level::Warn, &[], &mut batch);
        assert_eq!(batch.len(), 2, "held coalesced, not one per bar");
        let out = take(&mut batch);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].count, 5031);
        assert_eq!(out[0].sequence, 0, "the first record stands for the group");
        assert!(out[0].message.ends_with("notional 100 exceeds 50 (×5031)"), "{}", out[0].message);
        assert_eq!(serde_json::to_value(&out[0]).unwrap()["count"], json!(5031));
        assert_eq!(out[1].count, 1);
        assert!(!out[1].message.contains('×'));
        // The window is one batch: the next starts counting afresh.
        records(&refusal(9001, "100", "max_order_notional"), Level::Warn, &[], &mut batch);
        assert_eq!(take(&mut batch)[0].count, 1);
    }

    #[test]
    fn rejections_group_by_error_kind_not_by_its_amounts() {
        use crate::instrument::AssetIndex;
        use crate::order::{ApiError, ConnectivityError};
        let short = |m: &str| OrderError::Rejected(ApiError::BalanceInsufficient(AssetIndex(1), m.into()));
        assert_eq!(
            error_kind(&short("Available 5, Required 10")),
            error_kind(&short("Available 4, Required 9"))
        );
        assert_eq!(error_kind(&short("x")), "Rejected(BalanceInsufficient");
        assert_eq!(error_kind(&OrderError::Rejected(ApiError::RateLimit)), "Rejected(RateLimit)");
        assert_ne!(
            error_kind(&OrderError::Connectivity(ConnectivityError::Timeout)),
            error_kind(&OrderError::Rejected(ApiError::RateLimit))
        );
    }
}
