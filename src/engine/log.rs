//! Log records: what an operator wants to read from a tick (fills, rejections, refusals, trading
//! state, disconnects), with a level and structured fields. Derived from audit ticks, so logging
//! costs nothing unless someone asks, and records are as deterministic as the ticks.

use super::{AuditTick, Output};
use crate::event::{AccountEventKind, Command, EngineEvent, StreamEvent};
use crate::order::{InactiveOrderState, OrderState};
use crate::state::TradingState;
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::{json, Value};

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
    /// The tick's sequence number.
    pub sequence: u64,
    /// Engine time of the tick.
    pub time: Timestamp,
    /// A short fixed message (`fill`, `order refused`, ...), for filtering.
    pub message: &'static str,
    /// Structured details (decimals as strings).
    pub fields: Value,
}

/// Appends the records of `tick` at `min` or above to `out`.
pub fn records(tick: &AuditTick, min: Level, out: &mut Vec<LogRecord>) {
    let mut rec = Records { tick, min, out };
    match tick.event.as_ref() {
        EngineEvent::Account(StreamEvent::Item(a)) => match &a.kind {
            AccountEventKind::Trade(t) => rec.push(
                Level::Info,
                "fill",
                &|| json!({"instrument": t.instrument, "side": t.side, "price": t.price, "quantity": t.quantity, "fees": t.fees.fees, "order_id": t.order_id, "strategy": t.strategy}),
            ),
            AccountEventKind::OrderSnapshot(o) => {
                if let OrderState::Inactive(InactiveOrderState::OpenFailed(e)) = &o.state {
                    rec.push(Level::Warn, "order rejected", &|| json!({"instrument": o.key.instrument, "cid": o.key.cid, "reason": e}));
                }
            }
            AccountEventKind::OrderCancelled(c) => {
                if let Err(e) = &c.state {
                    rec.push(Level::Warn, "cancel rejected", &|| json!({"instrument": c.key.instrument, "cid": c.key.cid, "reason": e}));
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
            rec.push(Level::Info, "command", &|| json!({"command": name}));
        }
        EngineEvent::Shutdown(_) => rec.push(Level::Info, "shutdown", &|| json!({})),
        _ => {}
    }
    for output in &tick.outputs {
        match output {
            Output::OrdersSent(s) => {
                for o in &s.opens {
                    rec.push(
                        Level::Debug,
                        "order sent",
                        &|| json!({"origin": s.origin, "instrument": o.key.instrument, "cid": o.key.cid, "side": o.state.side, "kind": o.state.kind, "price": o.state.price, "quantity": o.state.quantity}),
                    );
                }
                for c in &s.cancels {
                    rec.push(Level::Debug, "cancel sent", &|| json!({"origin": s.origin, "instrument": c.key.instrument, "cid": c.key.cid}));
                }
            }
            Output::OrdersRefused(r) => {
                for o in &r.opens {
                    rec.push(Level::Warn, "order refused", &|| json!({"instrument": o.request.key.instrument, "cid": o.request.key.cid, "check": o.reason.check, "message": o.reason.message}));
                }
                for c in &r.cancels {
                    rec.push(Level::Warn, "cancel refused", &|| json!({"instrument": c.request.key.instrument, "cid": c.request.key.cid, "check": c.reason.check, "message": c.reason.message}));
                }
            }
            Output::PositionExited(p) => rec.push(
                Level::Info,
                "position closed",
                &|| json!({"instrument": p.instrument, "side": p.side, "quantity": p.quantity_abs_max, "entry": p.price_entry_average, "exit": p.price_exit_average, "pnl_realised": p.pnl_realised}),
            ),
            Output::TradingStateChanged { current, reason, .. } => {
                let (level, message) = if *current == TradingState::Enabled { (Level::Info, "trading enabled") } else { (Level::Warn, "trading disabled") };
                rec.push(level, message, &|| json!({"reason": reason}));
            }
            Output::Disconnected { exchange, stream } => rec.push(Level::Warn, "disconnected", &|| json!({"exchange": exchange, "stream": stream})),
        }
    }
}

/// Where `records` writes: a record's fields are only built when its level passes (the default
/// level, warn, drops every fill and closed position).
struct Records<'a, 't> {
    tick: &'a AuditTick<'t>,
    min: Level,
    out: &'a mut Vec<LogRecord>,
}

impl Records<'_, '_> {
    fn push(&mut self, level: Level, message: &'static str, fields: &dyn Fn() -> Value) {
        if level >= self.min {
            self.out.push(LogRecord {
                level,
                sequence: self.tick.sequence,
                time: self.tick.time,
                message,
                fields: fields(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Shutdown;

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
        let mut out = Vec::new();
        records(&tick, Level::Error, &mut out);
        assert!(out.is_empty());
        records(&tick, Level::Info, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].level, Level::Warn);
        assert_eq!(out[0].message, "trading disabled");
        assert_eq!(out[0].fields, json!({"reason": "drawdown 12% > 10%"}));
        assert_eq!(serde_json::to_value(&out[0]).unwrap()["time"], json!("1970-01-01T00:00:01Z"));
        let shutdown = AuditTick {
            sequence: 8,
            time: tick.time,
            event: std::borrow::Cow::Owned(EngineEvent::Shutdown(Shutdown)),
            outputs: vec![],
        };
        records(&shutdown, Level::Debug, &mut out);
        assert_eq!(out[1].message, "shutdown");
        assert!(Level::from_name("loud").is_err());
    }
}
