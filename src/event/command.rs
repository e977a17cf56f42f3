//! External directives (barter's `Command`). Commands bypass the risk manager.

use crate::error::EngineError;
use crate::instrument::{AssetIndex, ExchangeIndex, Instrument, InstrumentIndex, Instruments, Underlying};
use crate::order::{OrderKind, OrderRequestCancel, OrderRequestOpen, TimeInForce};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// barter's `OneOrMany`: `{"One": x}` or `{"Many": [x, ...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "OneOrMany{T}")]
pub enum OneOrMany<T> {
    /// A single item.
    One(T),
    /// Several items.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The items as a slice.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(t) => std::slice::from_ref(t),
            OneOrMany::Many(v) => v,
        }
    }
}

/// Selects instruments for a command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum InstrumentFilter {
    /// Every instrument.
    None,
    /// Instruments on these exchanges.
    Exchanges(OneOrMany<ExchangeIndex>),
    /// These instruments.
    Instruments(OneOrMany<InstrumentIndex>),
    /// Instruments with these underlyings.
    Underlyings(OneOrMany<Underlying<AssetIndex>>),
}

impl InstrumentFilter {
    /// Whether an instrument passes the filter.
    pub fn matches(&self, index: InstrumentIndex, instrument: &Instrument) -> bool {
        match self {
            InstrumentFilter::None => true,
            InstrumentFilter::Exchanges(e) => e.as_slice().contains(&instrument.exchange),
            InstrumentFilter::Instruments(i) => i.as_slice().contains(&index),
            InstrumentFilter::Underlyings(u) => u.as_slice().contains(&instrument.underlying),
        }
    }

    /// Checks that every index named exists.
    pub fn validate(&self, instruments: &Instruments, field: &str) -> Result<(), EngineError> {
        match self {
            InstrumentFilter::None => Ok(()),
            InstrumentFilter::Exchanges(e) => e.as_slice().iter().enumerate().try_for_each(|(i, x)| {
                instruments.exchange(*x, &format!("{field}.Exchanges[{i}]")).map(|_| ())
            }),
            InstrumentFilter::Instruments(v) => v.as_slice().iter().enumerate().try_for_each(|(i, x)| {
                instruments.instrument(*x, &format!("{field}.Instruments[{i}]")).map(|_| ())
            }),
            InstrumentFilter::Underlyings(v) => v.as_slice().iter().enumerate().try_for_each(|(i, u)| {
                instruments.asset(u.base, &format!("{field}.Underlyings[{i}].base"))?;
                instruments.asset(u.quote, &format!("{field}.Underlyings[{i}].quote")).map(|_| ())
            }),
        }
    }
}

/// A command to the engine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Command {
    /// Send these cancels as given.
    SendCancelRequests(OneOrMany<OrderRequestCancel>),
    /// Send these opens as given.
    SendOpenRequests(OneOrMany<OrderRequestOpen>),
    /// Close the positions of the filtered instruments (the strategy decides how).
    ClosePositions(InstrumentFilter),
    /// Cancel every live order of the filtered instruments.
    CancelOrders(InstrumentFilter),
}

/// Checks an open request's fields (not balances: that is the exchange's job).
pub fn validate_open(
    request: &OrderRequestOpen,
    instruments: &Instruments,
    field: &str,
) -> Result<(), EngineError> {
    let bad = |f: &str, m: String| EngineError::InvalidOrder { field: format!("{field}.{f}"), message: m };
    // Field paths are formatted only on failure: the engine checks every order it sends.
    let instrument =
        instruments.instrument(request.key.instrument, "key.instrument").map_err(|e| e.within(field))?;
    instruments.exchange(request.key.exchange, "key.exchange").map_err(|e| e.within(field))?;
    if instrument.exchange != request.key.exchange {
        return Err(bad(
            "key.exchange",
            format!("instrument {} is not on exchange {}", instrument.name_internal, request.key.exchange.0),
        ));
    }
    if request.key.cid.0.is_empty() {
        return Err(bad("key.cid", "must not be empty".into()));
    }
    let s = &request.state;
    if s.quantity <= Decimal::ZERO || s.quantity > super::MAX_MAGNITUDE {
        return Err(bad(
            "state.quantity",
            format!("must be positive and at most {}, got {}", super::MAX_MAGNITUDE, s.quantity),
        ));
    }
    if s.price > super::MAX_MAGNITUDE {
        return Err(bad("state.price", format!("must be at most {}, got {}", super::MAX_MAGNITUDE, s.price)));
    }
    if let Some(z) = &s.sizing {
        if s.side != crate::order::Side::Buy || z.fraction <= Decimal::ZERO || z.fraction > Decimal::ONE {
            return Err(bad("state.sizing", "fill-time sizing needs a buy and a fraction in (0, 1]".into()));
        }
    }
    check_conditions(s, &bad)?;
    match s.kind {
        OrderKind::Limit if s.price <= Decimal::ZERO && s.trigger.is_some() => Err(bad(
            "state.price",
            format!("a stop-limit order needs a positive limit price, got {}", s.price),
        )),
        OrderKind::Limit if s.price <= Decimal::ZERO => {
            Err(bad("state.price", format!("a limit price must be positive, got {}", s.price)))
        }
        OrderKind::Market if s.price < Decimal::ZERO => {
            Err(bad("state.price", format!("must not be negative, got {}", s.price)))
        }
        OrderKind::Market
            if matches!(s.time_in_force, TimeInForce::GoodUntilCancelled { post_only: true }) =>
        {
            Err(bad("state.time_in_force", "a market order cannot be post-only".into()))
        }
        _ => Ok(()),
    }
}

/// Checks the trigger and bracket of an open request's state; errors name `{field}.state.…`.
pub fn validate_conditions(s: &crate::order::RequestOpen, field: &str) -> Result<(), EngineError> {
    let bad = |f: &str, m: String| EngineError::InvalidOrder { field: format!("{field}.{f}"), message: m };
    check_conditions(s, &bad)
}

/// Checks the trigger and bracket of an open request (absent on plain orders: nothing to do).
/// `bad` makes the error for a field path (`state.trigger.price`, ...).
pub(crate) fn check_conditions(
    s: &crate::order::RequestOpen,
    bad: &dyn Fn(&str, String) -> EngineError,
) -> Result<(), EngineError> {
    let positive = |f: &str, p: Decimal| {
        // Against zero rust_decimal's own comparison is quick; against another price, ours.
        if p <= Decimal::ZERO || crate::decimal::gt(&p, &super::MAX_MAGNITUDE) {
            return Err(bad(f, format!("must be positive and at most {}, got {p}", super::MAX_MAGNITUDE)));
        }
        Ok(())
    };
    if let Some(t) = &s.trigger {
        match (t.price, t.trailing) {
            (Some(p), None) => positive("state.trigger.price", p)?,
            (None, Some(tr)) => {
                tr.check().map_err(|m| bad("state.trigger.trailing", m))?;
                if s.kind != OrderKind::Market {
                    return Err(bad(
                        "state.trigger.trailing",
                        "a trailing stop is a stop-market order (kind Market)".into(),
                    ));
                }
                if s.price <= Decimal::ZERO {
                    return Err(bad(
                        "state.price",
                        format!(
                            "a trailing stop trails from its reference price, which must be positive, got {}",
                            s.price
                        ),
                    ));
                }
            }
            (Some(_), Some(_)) => {
                return Err(bad(
                    "state.trigger",
                    "give a trigger price or a trailing offset, not both".into(),
                ))
            }
            (None, None) => {
                return Err(bad("state.trigger", "give a trigger price or a trailing offset".into()))
            }
        }
    }
    let Some(b) = &s.bracket else { return Ok(()) };
    if b.is_empty() {
        return Err(bad("state.bracket", "names no exit (stop_loss, take_profit or trailing_stop)".into()));
    }
    if s.side != crate::order::Side::Buy {
        return Err(bad("state.bracket", "exits attach to a buy entry: spot positions are long".into()));
    }
    if let Some(tr) = b.trailing_stop {
        tr.check().map_err(|m| bad("state.bracket.trailing_stop", m))?;
    }
    // The entry's price as the strategy placed it: its trigger, its limit, or the reference the
    // strategy saw for a market order (0: unknown, only the signs are checked).
    let entry = match (s.trigger.as_ref().and_then(|t| t.price), s.kind) {
        (Some(p), _) => p,
        (None, _) => s.price,
    };
    if let Some(sl) = b.stop_loss {
        positive("state.bracket.stop_loss", sl)?;
        if entry > Decimal::ZERO && !crate::decimal::lt(&sl, &entry) {
            return Err(bad(
                "state.bracket.stop_loss",
                format!("a buy's stop-loss must lie below its entry price {entry}, got {sl}"),
            ));
        }
    }
    if let Some(tp) = b.take_profit {
        positive("state.bracket.take_profit", tp)?;
        if entry > Decimal::ZERO && !crate::decimal::gt(&tp, &entry) {
            return Err(bad(
                "state.bracket.take_profit",
                format!("a buy's take-profit must lie above its entry price {entry}, got {tp}"),
            ));
        }
    }
    Ok(())
}

/// Checks a cancel request's indices.
pub fn validate_cancel(
    request: &OrderRequestCancel,
    instruments: &Instruments,
    field: &str,
) -> Result<(), EngineError> {
    // Field paths are formatted only on failure: the engine checks every order it sends.
    let instrument =
        instruments.instrument(request.key.instrument, "key.instrument").map_err(|e| e.within(field))?;
    instruments.exchange(request.key.exchange, "key.exchange").map_err(|e| e.within(field))?;
    if instrument.exchange != request.key.exchange {
        return Err(EngineError::InvalidOrder {
            field: format!("{field}.key.exchange"),
            message: format!(
                "instrument {} is not on exchange {}",
                instrument.name_internal, request.key.exchange.0
            ),
        });
    }
    Ok(())
}

impl Command {
    /// Checks every index and request in the command.
    pub fn validate(&self, instruments: &Instruments) -> Result<(), EngineError> {
        let wrap = |e: EngineError| match e {
            EngineError::InvalidOrder { field, message } => EngineError::InvalidCommand { field, message },
            other => other,
        };
        match self {
            Command::SendCancelRequests(r) => r
                .as_slice()
                .iter()
                .enumerate()
                .try_for_each(|(i, c)| validate_cancel(c, instruments, &format!("SendCancelRequests[{i}]")))
                .map_err(wrap),
            Command::SendOpenRequests(r) => r
                .as_slice()
                .iter()
                .enumerate()
                .try_for_each(|(i, o)| validate_open(o, instruments, &format!("SendOpenRequests[{i}]")))
                .map_err(wrap),
            Command::ClosePositions(f) => f.validate(instruments, "ClosePositions"),
            Command::CancelOrders(f) => f.validate(instruments, "CancelOrders"),
        }
    }
}
