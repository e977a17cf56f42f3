//! What a strategy written in a host language (JS, Python) sees and asks for. The view is numeric
//! and flat so one call per event stays cheap across the wasm boundary; the engine's accounting
//! stays in decimals, and the orders a host returns are decoded back to decimals exactly.

use super::{Sizing, StrategyContext, Target};
use crate::error::EngineError;
use crate::event::{DataKind, MarketEvent, OrderBookEvent};
use crate::indicator::spec::Sample;
use crate::instrument::InstrumentIndex;
use crate::order::{ClientOrderId, OrderKind, Side, TimeInForce};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::str::FromStr;

/// Event kinds of a `MarketView`, in the order of their numeric codes.
pub const MARKET_KINDS: [&str; 5] = ["trade", "l1", "candle", "liquidation", "book"];

/// A market event and its instrument's state after the event, as numbers. `NaN` marks an
/// absent value (no mark yet, flat position, missing book side).
///
/// Fields `a`..`e` by kind: trade (price, amount, side +1 buy / -1 sell); l1 (bid, bid amount,
/// ask, ask amount); candle (open, high, low, close, volume); liquidation (price, quantity,
/// side); book (best bid, best ask).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct MarketView {
    /// Index into `MARKET_KINDS`.
    pub kind: u32,
    /// Instrument index.
    pub instrument: u32,
    /// Exchange time in milliseconds since the epoch (JS `Date` time).
    pub time_ms: f64,
    /// The engine's mark price after the event.
    pub price: f64,
    /// Kind-specific values (see the type's doc).
    pub a: f64,
    /// Kind-specific.
    pub b: f64,
    /// Kind-specific.
    pub c: f64,
    /// Kind-specific.
    pub d: f64,
    /// Kind-specific.
    pub e: f64,
    /// Signed position quantity (long positive).
    pub position: f64,
    /// Average entry price of the position.
    pub entry_price: f64,
    /// Live orders of the instrument (in flight, open, or being cancelled).
    pub live_orders: u32,
    /// Free balance of the instrument's quote asset.
    pub free_quote: f64,
}

fn num(d: Decimal) -> f64 {
    crate::decimal::to_f64(&d)
}

fn side_sign(s: Side) -> f64 {
    match s {
        Side::Buy => 1.0,
        Side::Sell => -1.0,
    }
}

impl MarketView {
    /// What this event gives the indicators, from the numbers of the view (converted
    /// once for the host; no decimal is converted twice): bars, trades and two-sided quotes, the
    /// events the built-in strategies sample (`strategy::sample_price`), whose price is the mark,
    /// the view's `price`. None for the rest, which leave indicators unchanged.
    pub fn sample(&self) -> Option<Sample> {
        let (v, price) = (self, self.price);
        Some(match v.kind {
            0 => Sample { price, open: price, high: price, low: price, close: price, volume: v.b },
            2 => Sample { price, open: v.a, high: v.b, low: v.c, close: v.d, volume: v.e },
            // A quote with both sides (bid price `a`, ask price `c`).
            1 if !v.a.is_nan() && !v.c.is_nan() => {
                Sample { price, open: price, high: price, low: price, close: price, volume: 0.0 }
            }
            _ => return None,
        })
    }

    /// The view of `event` through `ctx` (the state after the event was applied).
    pub fn new(ctx: &StrategyContext<'_>, event: &MarketEvent) -> MarketView {
        const N: f64 = f64::NAN;
        let level =
            |l: &Option<crate::event::Level>| l.as_ref().map_or((N, N), |l| (num(l.price), num(l.amount)));
        let (kind, a, b, c, d, e) = match &event.kind {
            DataKind::Trade(t) => (0, num(t.price), num(t.amount), side_sign(t.side), N, N),
            DataKind::OrderBookL1(l1) => {
                let ((bp, ba), (ap, aa)) = (level(&l1.best_bid), level(&l1.best_ask));
                (1, bp, ba, ap, aa, N)
            }
            DataKind::Candle(k) => (2, num(k.open), num(k.high), num(k.low), num(k.close), num(k.volume)),
            DataKind::Liquidation(l) => (3, num(l.price), num(l.quantity), side_sign(l.side), N, N),
            DataKind::OrderBook(OrderBookEvent::Snapshot(b) | OrderBookEvent::Update(b)) => {
                let first = |ls: &crate::event::Levels| ls.levels.first().map_or(N, |l| num(l.price));
                (4, first(&b.bids), first(&b.asks), N, N, N)
            }
        };
        let i = event.instrument;
        let state = &ctx.state.instruments[i.0];
        let entry_price = state.position.as_ref().map_or(N, |p| num(p.price_entry_average));
        let quote = ctx.instruments.instruments()[i.0].quote_asset();
        let free_quote =
            ctx.state.assets.get(quote.0).and_then(|a| a.balance.as_ref()).map_or(N, |b| num(b.free));
        MarketView {
            kind,
            instrument: i.0 as u32,
            time_ms: event.time_exchange.nanos() as f64 / 1e6,
            price: ctx.mark(i).map_or(N, num),
            a,
            b,
            c,
            d,
            e,
            position: num(ctx.position(i)),
            entry_price,
            live_orders: state.orders.0.len() as u32,
            free_quote,
        }
    }
}

/// A decimal a host gives as a string (exact) or a number (taken as its shortest decimal form,
/// what JS's `String(x)` prints, so `0.1` means 0.1).
#[derive(Clone, Debug)]
pub enum HostDecimal {
    /// Exact decimal text.
    Text(String),
    /// A float.
    Number(f64),
}

// The host types read JSON by its kind of value (a visitor), not as serde's `untagged` enums:
// those buffer every value first and run each type's decoder over the buffer too (a second copy
// of it in the module), and their errors only say that nothing matched.
impl<'de> Deserialize<'de> for HostDecimal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Kind;
        impl serde::de::Visitor<'_> for Kind {
            type Value = HostDecimal;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a decimal as a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<HostDecimal, E> {
                Ok(HostDecimal::Text(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<HostDecimal, E> {
                Ok(HostDecimal::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<HostDecimal, E> {
                Ok(HostDecimal::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<HostDecimal, E> {
                Ok(HostDecimal::Number(v as f64))
            }
        }
        d.deserialize_any(Kind)
    }
}

/// A float as the decimal of its shortest round-trip form (what JS's `String(x)` and Python's
/// `repr(x)` print), so `0.1` becomes exactly 0.1. Errors say why for NaN, infinities and
/// magnitudes beyond a decimal's range.
pub fn decimal_from_f64(x: f64) -> Result<Decimal, String> {
    if !x.is_finite() {
        return Err(format!("{x} is not a finite number"));
    }
    let text = format!("{x}");
    Decimal::from_str(&text).map_err(|e| format!("{text} is not representable as a decimal: {e}"))
}

/// Decimal text, plain or scientific (`1e-7`).
pub fn decimal_from_text(t: &str) -> Result<Decimal, String> {
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|e| format!("{} is not a decimal: {e}", crate::error::quote(t)))
}

impl HostDecimal {
    /// The decimal, or why it is not one.
    pub fn to_decimal(&self) -> Result<Decimal, String> {
        match self {
            HostDecimal::Number(x) => decimal_from_f64(*x),
            HostDecimal::Text(t) => decimal_from_text(t),
        }
    }

    fn decimal(&self, field: &str) -> Result<Decimal, EngineError> {
        self.to_decimal().map_err(|message| EngineError::InvalidOrder { field: field.into(), message })
    }
}

/// An instrument named by index or by name (exchange or internal).
#[derive(Clone, Debug)]
pub enum HostInstrument {
    /// Index in the config's instrument list.
    Index(usize),
    /// `name_exchange` or `name_internal`.
    Name(String),
}

impl<'de> Deserialize<'de> for HostInstrument {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Kind;
        impl serde::de::Visitor<'_> for Kind {
            type Value = HostInstrument;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an instrument index or name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<HostInstrument, E> {
                Ok(HostInstrument::Name(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<HostInstrument, E> {
                usize::try_from(v)
                    .map(HostInstrument::Index)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<HostInstrument, E> {
                usize::try_from(v)
                    .map(HostInstrument::Index)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
        }
        d.deserialize_any(Kind)
    }
}

/// One request a host strategy returns. Exactly one of: an order (`side` and `quantity`), a
/// `cancel` (a client order id, or `"all"`), or a `target` position (`long`, `flat`, `short`)
/// reached with market orders like the built-in signal strategies.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HostOrder {
    /// Instrument; default: the event's.
    pub instrument: Option<HostInstrument>,
    /// `buy` or `sell`.
    pub side: Option<Side>,
    /// Base quantity.
    pub quantity: Option<HostDecimal>,
    /// `market` (default) or `limit`.
    #[serde(rename = "type")]
    pub kind: Option<HostOrderType>,
    /// Limit price (required for limit orders; default the mark for market orders).
    pub price: Option<HostDecimal>,
    /// `GTC` (default for limits), `IOC` (default for market orders), `FOK`, or `DAY`.
    pub time_in_force: Option<HostTimeInForce>,
    /// Good-until-cancelled limit that refuses to take liquidity.
    #[serde(default)]
    pub post_only: bool,
    /// Cancel this client order id, or `"all"` live orders of the instrument.
    pub cancel: Option<String>,
    /// Move the position to this target.
    pub target: Option<HostTarget>,
    /// Entry size for `target` (default: all equity).
    pub sizing: Option<Sizing>,
    /// Stop trigger price: a `market` order becomes a stop-market, a `limit` one a stop-limit.
    pub stop: Option<HostDecimal>,
    /// Trailing stop-market offset (`{percent}` or `{distance}`), trailing from `price`.
    pub trailing: Option<HostTrailing>,
    /// Bracket stop-loss price (a buy's exit below its entry).
    pub stop_loss: Option<HostDecimal>,
    /// Bracket take-profit price (a buy's exit above its entry).
    pub take_profit: Option<HostDecimal>,
    /// Bracket trailing stop, percent below the best price since the fill.
    pub trailing_stop: Option<HostDecimal>,
}

/// A trailing offset as a host gives it: `{percent: 2}` or `{distance: '1.5'}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HostTrailing {
    /// Percent of the best price, in (0, 100).
    pub percent: Option<HostDecimal>,
    /// Absolute distance (positive).
    pub distance: Option<HostDecimal>,
}

/// Order type names.
#[derive(Copy, Clone, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HostOrderType {
    /// Market.
    Market,
    /// Limit.
    Limit,
}

/// Time-in-force names.
#[derive(Copy, Clone, Debug, Deserialize)]
pub enum HostTimeInForce {
    /// Good until cancelled.
    #[serde(alias = "gtc")]
    GTC,
    /// Immediate or cancel.
    #[serde(alias = "ioc")]
    IOC,
    /// Fill or kill.
    #[serde(alias = "fok")]
    FOK,
    /// Good until the end of the UTC day.
    #[serde(alias = "day")]
    DAY,
}

/// Target names.
#[derive(Copy, Clone, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HostTarget {
    /// Long.
    Long,
    /// Flat.
    Flat,
    /// Short.
    Short,
}

impl HostOrder {
    /// Turns the request into intents on `ctx`. `field` names the request in errors
    /// (`onMarket()[0]`); `default` is the instrument of the event that called the hook.
    pub fn apply(
        &self,
        ctx: &mut StrategyContext<'_>,
        default: InstrumentIndex,
        field: &str,
    ) -> Result<(), EngineError> {
        let err =
            |f: &str, m: String| EngineError::InvalidOrder { field: format!("{field}.{f}"), message: m };
        let instrument = match &self.instrument {
            None => default,
            Some(HostInstrument::Index(i)) if *i < ctx.instruments.instruments().len() => InstrumentIndex(*i),
            Some(HostInstrument::Index(i)) => {
                return Err(EngineError::UnknownInstrument {
                    field: format!("{field}.instrument"),
                    instrument: i.to_string(),
                })
            }
            Some(HostInstrument::Name(n)) => ctx.instruments.find_instrument(n).ok_or_else(|| {
                EngineError::UnknownInstrument { field: format!("{field}.instrument"), instrument: n.clone() }
            })?,
        };
        let chosen =
            [self.side.is_some() || self.quantity.is_some(), self.cancel.is_some(), self.target.is_some()];
        if chosen.iter().filter(|c| **c).count() != 1 {
            return Err(err(
                "",
                "expected exactly one of an order (side, quantity), cancel, or target".into(),
            ));
        }
        if self.side.is_none() && self.quantity.is_none() {
            // Order fields on a cancel or a target would be dropped unread: say so instead.
            let what = if self.cancel.is_some() { "a cancel" } else { "a target" };
            let order_only = [
                ("type", self.kind.is_some()),
                ("price", self.price.is_some()),
                ("timeInForce", self.time_in_force.is_some()),
                ("postOnly", self.post_only),
                ("stop", self.stop.is_some()),
                ("trailing", self.trailing.is_some()),
                ("stopLoss", self.stop_loss.is_some()),
                ("takeProfit", self.take_profit.is_some()),
                ("trailingStop", self.trailing_stop.is_some()),
            ];
            if let Some((f, _)) = order_only.iter().find(|(_, given)| *given) {
                return Err(err(f, format!("only an order (side, quantity) takes it, not {what}")));
            }
            if self.cancel.is_some() && self.sizing.is_some() {
                return Err(err("sizing", "only a target request is sized, not a cancel".into()));
            }
        }
        if let Some(cid) = &self.cancel {
            let cids: Vec<ClientOrderId> = if cid == "all" {
                ctx.state.instruments[instrument.0].orders.0.iter().map(|o| o.key.cid.clone()).collect()
            } else {
                vec![ClientOrderId(cid.as_str().into())]
            };
            for cid in cids {
                ctx.cancel(instrument, cid);
            }
            return Ok(());
        }
        if let Some(target) = self.target {
            let target = match target {
                HostTarget::Long => Target::Long,
                HostTarget::Flat => Target::Flat,
                // `move_to` reads short on spot as flat, which suits config strategies; a host
                // asking for it outright would see its request quietly turn into something else.
                HostTarget::Short if ctx.instruments.instruments()[instrument.0].kind.is_spot() => {
                    return Err(err(
                        "target",
                        format!(
                            "short on spot instrument {}: spot cannot be shorted (use 'flat')",
                            ctx.instruments.instruments()[instrument.0].name_exchange
                        ),
                    ))
                }
                HostTarget::Short => Target::Short,
            };
            let sizing = self.sizing.clone().unwrap_or_default();
            check_sizing(&sizing).map_err(|(f, m)| err(f, m))?;
            ctx.move_to(instrument, target, &sizing);
            return Ok(());
        }
        if self.sizing.is_some() {
            return Err(err("sizing", "only a target request is sized; an order gives its quantity".into()));
        }
        let side = self.side.ok_or_else(|| err("side", "missing (buy or sell)".into()))?;
        let quantity = self
            .quantity
            .as_ref()
            .ok_or_else(|| err("quantity", "missing".into()))?
            .decimal(&format!("{field}.quantity"))?;
        let kind = match self.kind.unwrap_or(HostOrderType::Market) {
            HostOrderType::Market => OrderKind::Market,
            HostOrderType::Limit => OrderKind::Limit,
        };
        let price = match (&self.price, kind) {
            (Some(p), _) => p.decimal(&format!("{field}.price"))?,
            (None, OrderKind::Limit) => return Err(err("price", "a limit order needs a price".into())),
            (None, OrderKind::Market) => ctx
                .mark(instrument)
                .ok_or_else(|| err("price", "no mark price yet: give a reference price".into()))?,
        };
        let dec = |v: &Option<HostDecimal>, f: &str| {
            v.as_ref().map(|x| x.decimal(&format!("{field}.{f}"))).transpose()
        };
        let trailing = match &self.trailing {
            None => None,
            Some(HostTrailing { percent: Some(p), distance: None }) => {
                Some(crate::order::Trailing::Percent(p.decimal(&format!("{field}.trailing.percent"))?))
            }
            Some(HostTrailing { percent: None, distance: Some(x) }) => {
                Some(crate::order::Trailing::Distance(x.decimal(&format!("{field}.trailing.distance"))?))
            }
            Some(_) => return Err(err("trailing", "expected exactly one of percent or distance".into())),
        };
        let stop = dec(&self.stop, "stop")?;
        let trigger =
            (stop.is_some() || trailing.is_some()).then_some(crate::order::Trigger { price: stop, trailing });
        let bracket = crate::order::Bracket {
            stop_loss: dec(&self.stop_loss, "stopLoss")?,
            take_profit: dec(&self.take_profit, "takeProfit")?,
            trailing_stop: dec(&self.trailing_stop, "trailingStop")?.map(crate::order::Trailing::Percent),
        };
        let bracket = (!bracket.is_empty()).then_some(bracket);
        // Checked here so a bad field is this hook's typed error, not a refusal later.
        let probe = crate::order::RequestOpen {
            side,
            price,
            quantity,
            kind,
            time_in_force: TimeInForce::GoodUntilCancelled { post_only: false },
            sizing: None,
            trigger: trigger.clone().map(std::sync::Arc::new),
            bracket: bracket.clone().map(std::sync::Arc::new),
        };
        crate::event::validate_conditions(&probe, field).map_err(|e| match e {
            EngineError::InvalidOrder { field, message } => EngineError::InvalidOrder {
                field: field
                    .replace("state.trigger.trailing", "trailing")
                    .replace("state.trigger.price", "stop")
                    .replace("state.trigger", "stop")
                    .replace("state.bracket.stop_loss", "stopLoss")
                    .replace("state.bracket.take_profit", "takeProfit")
                    .replace("state.bracket.trailing_stop", "trailingStop")
                    .replace("state.bracket", "stopLoss")
                    .replace("state.price", "price"),
                message,
            },
            other => other,
        })?;
        let time_in_force = match (self.time_in_force, kind) {
            (_, _) if self.post_only => TimeInForce::GoodUntilCancelled { post_only: true },
            // A stop rests until it triggers.
            (None, _) if trigger.is_some() => TimeInForce::GoodUntilCancelled { post_only: false },
            (Some(HostTimeInForce::GTC), _) | (None, OrderKind::Limit) => {
                TimeInForce::GoodUntilCancelled { post_only: false }
            }
            (Some(HostTimeInForce::IOC), _) | (None, OrderKind::Market) => TimeInForce::ImmediateOrCancel,
            (Some(HostTimeInForce::FOK), _) => TimeInForce::FillOrKill,
            (Some(HostTimeInForce::DAY), _) => TimeInForce::GoodUntilEndOfDay,
        };
        ctx.submit(super::OrderIntent::Open {
            instrument,
            side,
            kind,
            price,
            quantity,
            time_in_force,
            sizing: None,
            trigger,
            bracket,
        });
        Ok(())
    }
}

/// A sizing `move_to` can honour, else the field and why: out-of-range values would size an
/// entry of nothing (or more than the equity), and the request would silently not happen.
fn check_sizing(sizing: &Sizing) -> Result<(), (&'static str, String)> {
    match sizing {
        Sizing::FixedQuantity(q) if *q <= Decimal::ZERO => {
            Err(("sizing.fixed_quantity", format!("must be positive, got {q}")))
        }
        Sizing::EquityFraction { fraction, .. } if *fraction <= Decimal::ZERO || *fraction > Decimal::ONE => {
            Err(("sizing.equity_fraction.fraction", format!("must be in (0, 1], got {fraction}")))
        }
        _ => Ok(()),
    }
}

/// What a hook returned: nothing, one request, or a list.
#[derive(Clone, Debug)]
pub enum HostOrders {
    /// A list.
    Many(Vec<HostOrder>),
    /// One request.
    One(Box<HostOrder>),
}

impl<'de> Deserialize<'de> for HostOrders {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Kind;
        impl<'de> serde::de::Visitor<'de> for Kind {
            type Value = HostOrders;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an order request (an object) or a list of them")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<HostOrders, A::Error> {
                let mut list = Vec::new();
                while let Some(o) = seq.next_element()? {
                    list.push(o);
                }
                Ok(HostOrders::Many(list))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<HostOrders, A::Error> {
                // The same map access a list's elements get: one decoder of HostOrder serves both.
                HostOrder::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|o| HostOrders::One(Box::new(o)))
            }
        }
        d.deserialize_any(Kind)
    }
}

impl HostOrders {
    /// Applies every request, or none: a bad one (named `hook()[i]`) drops those before it too,
    /// so a hook never half-happens.
    pub fn apply(
        &self,
        ctx: &mut StrategyContext<'_>,
        default: InstrumentIndex,
        hook: &str,
    ) -> Result<(), EngineError> {
        let before = ctx.intents.len();
        let result = match self {
            HostOrders::One(o) => o.apply(ctx, default, &format!("{hook}()")),
            HostOrders::Many(list) => list
                .iter()
                .enumerate()
                .try_for_each(|(i, o)| o.apply(ctx, default, &format!("{hook}()[{i}]"))),
        };
        if result.is_err() {
            ctx.intents.truncate(before);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_values_by_their_json_kind() {
        let dec = |t: &str| serde_json::from_str::<HostDecimal>(t).map(|d| d.to_decimal());
        assert_eq!(dec(r#""0.1""#).unwrap(), Ok(Decimal::new(1, 1)));
        assert_eq!(dec("0.1").unwrap(), Ok(Decimal::new(1, 1)));
        assert_eq!(dec("-3").unwrap(), Ok(Decimal::from(-3)));
        assert_eq!(
            dec("18446744073709551615").unwrap(),
            Ok(Decimal::from(18446744073709552000u128)),
            "a number is a float, as in JS"
        );
        fn err<T: std::fmt::Debug>(r: Result<T, serde_json::Error>) -> String {
            r.unwrap_err().to_string()
        }
        assert_eq!(
            err(dec("true")),
            "invalid type: boolean `true`, expected a decimal as a string or a number at line 1 column 4"
        );
        assert_eq!(
            err(dec("[1]")),
            "invalid type: sequence, expected a decimal as a string or a number at line 1 column 1"
        );
        let inst = |t: &str| serde_json::from_str::<HostInstrument>(t);
        assert!(matches!(inst("2").unwrap(), HostInstrument::Index(2)));
        assert!(matches!(inst(r#""SPX""#).unwrap(), HostInstrument::Name(n) if n == "SPX"));
        assert_eq!(
            err(inst("-1")),
            "invalid value: integer `-1`, expected an instrument index or name at line 1 column 2"
        );
        assert_eq!(
            err(inst("1.5")),
            "invalid type: floating point `1.5`, expected an instrument index or name at line 1 column 3"
        );
        if usize::BITS == 32 {
            assert!(err(inst("4294967296")).starts_with("invalid value: integer `4294967296`"));
        }
        let orders = |t: &str| serde_json::from_str::<HostOrders>(t);
        assert!(
            matches!(orders(r#"{"cancel": "all"}"#).unwrap(), HostOrders::One(o) if o.cancel.as_deref() == Some("all"))
        );
        assert!(
            matches!(orders(r#"[{"cancel": "a"}, {"target": "flat"}]"#).unwrap(), HostOrders::Many(v) if v.len() == 2)
        );
        assert!(matches!(orders("[]").unwrap(), HostOrders::Many(v) if v.is_empty()));
        assert_eq!(err(orders("7")), "invalid type: integer `7`, expected an order request (an object) or a list of them at line 1 column 1");
        assert!(err(orders(r#"{"qty": 1}"#)).starts_with("unknown field `qty`, expected one of"));
        assert!(err(orders(r#"[{"side": "buy"}, 5]"#))
            .starts_with("invalid type: integer `5`, expected struct HostOrder"));
    }

    #[test]
    fn samples_from_the_view() {
        let n = f64::NAN;
        let view = |kind, price, a, b, c, d, e| MarketView {
            kind,
            instrument: 0,
            time_ms: 0.0,
            price,
            a,
            b,
            c,
            d,
            e,
            position: 0.0,
            entry_price: n,
            live_orders: 0,
            free_quote: n,
        };
        let candle = view(2, 4.0, 1.0, 5.0, 0.5, 4.0, 100.0).sample().unwrap();
        assert_eq!(candle, Sample { price: 4.0, open: 1.0, high: 5.0, low: 0.5, close: 4.0, volume: 100.0 });
        let trade = view(0, 7.0, 7.0, 2.0, 1.0, n, n).sample().unwrap();
        assert_eq!(trade, Sample { price: 7.0, open: 7.0, high: 7.0, low: 7.0, close: 7.0, volume: 2.0 });
        assert_eq!(view(1, 10.5, 10.0, 1.0, 11.0, 1.0, n).sample().map(|s| s.close), Some(10.5));
        // One-sided quotes, liquidations and books are not sampled (as `sample_price`).
        assert_eq!(view(1, 10.0, 10.0, 1.0, n, n, n).sample(), None);
        assert_eq!(view(3, 10.0, 10.0, 1.0, 1.0, n, n).sample(), None);
        assert_eq!(view(4, 10.0, 10.0, 11.0, n, n, n).sample(), None);
    }

    #[test]
    fn numbers_become_their_shortest_decimal() {
        assert_eq!(HostDecimal::Number(0.1).decimal("q").unwrap(), Decimal::from_str("0.1").unwrap());
        assert_eq!(HostDecimal::Number(1e-7).decimal("q").unwrap(), Decimal::from_str("0.0000001").unwrap());
        assert_eq!(
            HostDecimal::Text("2.50".into()).decimal("q").unwrap(),
            Decimal::from_str("2.50").unwrap()
        );
        assert_eq!(HostDecimal::Text("1e3".into()).decimal("q").unwrap(), Decimal::from(1000));
        let e = HostDecimal::Number(f64::NAN).decimal("onMarket().quantity").unwrap_err();
        assert_eq!(e.to_string(), "INVALID_ORDER: onMarket().quantity: NaN is not a finite number");
        assert!(HostDecimal::Text("abc".into()).decimal("q").is_err());
    }

    #[test]
    fn requests_decode_from_friendly_json() {
        let o: HostOrders = serde_json::from_str(r#"[{"side":"buy","quantity":1.5,"type":"limit","price":"100","timeInForce":"IOC"},{"cancel":"all"},{"target":"long","sizing":{"fixed_quantity":"2"}}]"#).unwrap();
        let HostOrders::Many(list) = o else { panic!("a list") };
        assert_eq!(list.len(), 3);
        assert!(
            serde_json::from_str::<HostOrder>(r#"{"side":"buy","qty":1}"#).is_err(),
            "unknown fields are refused"
        );
    }

    #[test]
    fn stop_and_bracket_fields_decode() {
        let o: HostOrder = serde_json::from_str(
            r#"{"side":"buy","quantity":1,"stop":105,"stopLoss":95,"takeProfit":"110","trailingStop":3}"#,
        )
        .unwrap();
        assert!(
            o.stop.is_some() && o.stop_loss.is_some() && o.take_profit.is_some() && o.trailing_stop.is_some()
        );
        let o: HostOrder =
            serde_json::from_str(r#"{"side":"sell","quantity":1,"price":100,"trailing":{"percent":2}}"#)
                .unwrap();
        assert!(o.trailing.is_some_and(|t| t.percent.is_some() && t.distance.is_none()));
        assert!(serde_json::from_str::<HostOrder>(r#"{"side":"buy","quantity":1,"sl":95}"#).is_err());
    }

    #[test]
    fn sizings_move_to_cannot_honour_are_named() {
        let d = |t: &str| Decimal::from_str(t).unwrap();
        let fraction = |f: &str| Sizing::EquityFraction { fraction: d(f), whole_units: false };
        assert!(check_sizing(&Sizing::default()).is_ok());
        assert!(check_sizing(&fraction("0.5")).is_ok());
        for f in ["0", "-0.1", "1.01"] {
            assert_eq!(check_sizing(&fraction(f)).unwrap_err().0, "sizing.equity_fraction.fraction", "{f}");
        }
        assert!(check_sizing(&Sizing::FixedQuantity(d("2"))).is_ok());
        assert_eq!(check_sizing(&Sizing::FixedQuantity(d("0"))).unwrap_err().0, "sizing.fixed_quantity");
    }
}
