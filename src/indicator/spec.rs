//! Indicators named by data: what a host strategy declares (`{fast: {sma: 10}, rsi: {rsi: 14}}`)
//! and what the hosts' batch functions compute. The engine keeps one set per instrument and hands
//! the host the current values of the event's instrument with the event itself, so a host strategy
//! costs no extra call per indicator and per event. Values are `f64` (see the module docs); `NaN`
//! stands for "warming up" in the flat output (hosts turn it into `null`).

use super::{Atr, Bar, Bollinger, Ema, Highest, Lowest, Macd, Roc, Rsi, Sma, StdDev, Wma, MAX_PERIOD};
use crate::error::EngineError;
use serde_json::Value as Json;

/// The most indicators one strategy declares (each is one more value per event).
pub const MAX_INDICATORS: usize = 64;

/// The indicator kinds, as hosts name them.
pub const KINDS: [&str; 11] =
    ["sma", "ema", "wma", "rsi", "macd", "bollinger", "atr", "stddev", "highest", "lowest", "roc"];

/// An indicator and its parameters.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Kind {
    /// Simple moving average.
    Sma(usize),
    /// Exponential moving average (SMA-seeded).
    Ema(usize),
    /// Weighted moving average.
    Wma(usize),
    /// Wilder's RSI.
    Rsi(usize),
    /// MACD: fast, slow, signal.
    Macd(usize, usize, usize),
    /// Bollinger bands: period, deviations.
    Bollinger(usize, f64),
    /// Average true range (reads high, low and close).
    Atr(usize),
    /// Population standard deviation: period, multiplier.
    StdDev(usize, f64),
    /// Rolling highest.
    Highest(usize),
    /// Rolling lowest.
    Lowest(usize),
    /// Rate of change, percent.
    Roc(usize),
}

impl Kind {
    /// The names of its values, in the order they are written (one name: a plain number).
    pub fn outputs(&self) -> &'static [&'static str] {
        match self {
            Kind::Macd(..) => &["macd", "signal", "histogram"],
            Kind::Bollinger(..) => &["upper", "middle", "lower"],
            _ => &["value"],
        }
    }
}

/// Which number of a market event an indicator reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The sampled price (trade price, bar close, L1 mid): what the built-in strategies read.
    Price,
    /// Bar open (the price for trades and quotes).
    Open,
    /// Bar high.
    High,
    /// Bar low.
    Low,
    /// Bar close.
    Close,
    /// Bar volume (trade amount; 0 for quotes).
    Volume,
}

/// One declared indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// The name the host reads it under.
    pub name: String,
    /// What and with which parameters.
    pub kind: Kind,
    /// What it reads (ATR always reads high, low and close).
    pub source: Source,
}

fn period_of(v: &Json, field: &str) -> Result<usize, EngineError> {
    match v.as_u64() {
        Some(n) if (1..=MAX_PERIOD as u64).contains(&n) => Ok(n as usize),
        _ => {
            Err(EngineError::argument(field, format!("expected a whole period in 1..={MAX_PERIOD}, got {v}")))
        }
    }
}

fn factor_of(v: &Json, field: &str) -> Result<f64, EngineError> {
    match v.as_f64() {
        Some(k) if k.is_finite() && k > 0.0 => Ok(k),
        _ => Err(EngineError::argument(field, format!("expected a positive number, got {v}"))),
    }
}

/// Reads named fields of an object parameter (refusing unknown ones: a typo would otherwise be a
/// silent default).
fn fields<'a>(v: &'a Json, field: &str, names: &[&str]) -> Result<Vec<Option<&'a Json>>, EngineError> {
    let Some(o) = v.as_object() else {
        return Err(EngineError::argument(field, format!("expected a period or an object, got {v}")));
    };
    if let Some(k) = o.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(EngineError::argument(
            format!("{field}.{k}"),
            format!("unknown; expected one of {}", names.join(", ")),
        ));
    }
    Ok(names.iter().map(|n| o.get(*n)).collect())
}

impl Kind {
    /// The kind `name` with parameters `v` (a period; `[fast, slow, signal]` or `{fast, slow,
    /// signal}` for MACD, default 12/26/9; `{period, k}` for Bollinger (k default 2) and stddev
    /// (k default 1)). `field` names the value in errors.
    pub fn parse(name: &str, v: &Json, field: &str) -> Result<Kind, EngineError> {
        let p = || period_of(v, field);
        Ok(match name {
            "sma" => Kind::Sma(p()?),
            "ema" => Kind::Ema(p()?),
            "wma" => Kind::Wma(p()?),
            "rsi" => Kind::Rsi(p()?),
            "atr" => Kind::Atr(p()?),
            "highest" => Kind::Highest(p()?),
            "lowest" => Kind::Lowest(p()?),
            "roc" => Kind::Roc(p()?),
            "macd" => {
                let (f, s, g) = match v {
                    Json::Array(a) if a.len() == 3 => (Some(&a[0]), Some(&a[1]), Some(&a[2])),
                    Json::Array(_) => {
                        return Err(EngineError::argument(field, "expected [fast, slow, signal]".to_string()))
                    }
                    _ => {
                        let f = fields(v, field, &["fast", "slow", "signal"])?;
                        (f[0], f[1], f[2])
                    }
                };
                let get = |x: Option<&Json>, name: &str, default: usize| {
                    x.map_or(Ok(default), |x| period_of(x, &format!("{field}.{name}")))
                };
                Kind::Macd(get(f, "fast", 12)?, get(s, "slow", 26)?, get(g, "signal", 9)?)
            }
            "bollinger" | "stddev" => {
                let default_k = if name == "bollinger" { 2.0 } else { 1.0 };
                let (n, k) = if v.is_number() {
                    (p()?, default_k)
                } else {
                    let f = fields(v, field, &["period", "k"])?;
                    let n = match f[0] {
                        Some(n) => period_of(n, &format!("{field}.period"))?,
                        None => return Err(EngineError::argument(format!("{field}.period"), "missing")),
                    };
                    (n, f[1].map_or(Ok(default_k), |k| factor_of(k, &format!("{field}.k")))?)
                };
                if name == "bollinger" {
                    Kind::Bollinger(n, k)
                } else {
                    Kind::StdDev(n, k)
                }
            }
            other => {
                return Err(EngineError::argument(
                    field,
                    format!("unknown indicator {other:?}; expected one of {}", KINDS.join(", ")),
                ))
            }
        })
    }
}

impl Spec {
    /// One declaration: an object with one kind key (`{sma: 10}`) and optionally `source`.
    pub fn parse(name: &str, v: &Json, field: &str) -> Result<Spec, EngineError> {
        let Some(o) = v.as_object() else {
            return Err(EngineError::argument(
                field,
                format!("expected an object such as {{\"sma\": 10}}, got {v}"),
            ));
        };
        let mut kind = None;
        let mut source = Source::Price;
        for (k, x) in o {
            let at = format!("{field}.{k}");
            if k == "source" {
                source = match x.as_str() {
                    Some("price") => Source::Price,
                    Some("open") => Source::Open,
                    Some("high") => Source::High,
                    Some("low") => Source::Low,
                    Some("close") => Source::Close,
                    Some("volume") => Source::Volume,
                    _ => {
                        return Err(EngineError::argument(
                            at,
                            format!("expected price, open, high, low, close or volume, got {x}"),
                        ))
                    }
                };
            } else if kind.is_some() {
                return Err(EngineError::argument(at, "one indicator per name: this one already has a kind"));
            } else {
                kind = Some(Kind::parse(k, x, &at)?);
            }
        }
        let Some(kind) = kind else {
            return Err(EngineError::argument(
                field,
                format!("no indicator kind; expected one of {}", KINDS.join(", ")),
            ));
        };
        Ok(Spec { name: name.to_string(), kind, source })
    }

    /// All declarations of `indicators`: an array of `[name, declaration]` pairs, in that order
    /// (what the hosts send, so the values come in the order the host declared them), or an
    /// object of name → declaration, in the order of its names (JSON objects have none).
    pub fn parse_all(indicators: &Json, field: &str) -> Result<Vec<Spec>, EngineError> {
        let pairs: Vec<(&str, &Json)> = match indicators {
            Json::Object(o) => o.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            Json::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, p)| match p.as_array().map(Vec::as_slice) {
                    Some([Json::String(name), v]) => Ok((name.as_str(), v)),
                    _ => Err(EngineError::argument(
                        format!("{field}[{i}]"),
                        format!("expected [name, indicator], got {p}"),
                    )),
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(EngineError::argument(
                    field,
                    format!("expected an object of name: indicator, got {indicators}"),
                ))
            }
        };
        if pairs.len() > MAX_INDICATORS {
            return Err(EngineError::argument(
                field,
                format!("{} indicators; at most {MAX_INDICATORS}", pairs.len()),
            ));
        }
        let mut specs: Vec<Spec> = Vec::with_capacity(pairs.len());
        for (name, v) in pairs {
            if specs.iter().any(|s| s.name == name) {
                return Err(EngineError::argument(format!("{field}.{name}"), "declared twice"));
            }
            specs.push(Spec::parse(name, v, &format!("{field}.{name}"))?);
        }
        Ok(specs)
    }
}

/// One event's numbers, as an indicator reads them.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Sample {
    /// Sampled price (see `Source::Price`).
    pub price: f64,
    /// Open.
    pub open: f64,
    /// High.
    pub high: f64,
    /// Low.
    pub low: f64,
    /// Close.
    pub close: f64,
    /// Volume.
    pub volume: f64,
}

impl Sample {
    fn get(&self, source: Source) -> f64 {
        match source {
            Source::Price => self.price,
            Source::Open => self.open,
            Source::High => self.high,
            Source::Low => self.low,
            Source::Close => self.close,
            Source::Volume => self.volume,
        }
    }
}

/// A running indicator of any kind.
#[derive(Clone, Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "a strategy holds a few of these in a Vec per instrument; boxing MACD would add a pointer chase per event to save a few hundred bytes"
)]
pub enum Live {
    /// SMA.
    Sma(Sma<f64>),
    /// EMA.
    Ema(Ema<f64>),
    /// WMA.
    Wma(Wma<f64>),
    /// RSI.
    Rsi(Rsi<f64>),
    /// MACD.
    Macd(Macd<f64>),
    /// Bollinger bands.
    Bollinger(Bollinger<f64>),
    /// ATR.
    Atr(Atr<f64>),
    /// Standard deviation.
    StdDev(StdDev<f64>),
    /// Highest.
    Highest(Highest<f64>),
    /// Lowest.
    Lowest(Lowest<f64>),
    /// Rate of change.
    Roc(Roc<f64>),
}

impl Live {
    /// A fresh indicator of `kind`.
    pub fn new(kind: Kind) -> Live {
        match kind {
            Kind::Sma(n) => Live::Sma(Sma::new(n)),
            Kind::Ema(n) => Live::Ema(Ema::new(n)),
            Kind::Wma(n) => Live::Wma(Wma::new(n)),
            Kind::Rsi(n) => Live::Rsi(Rsi::new(n)),
            Kind::Macd(f, s, g) => Live::Macd(Macd::new(f, s, g)),
            Kind::Bollinger(n, k) => Live::Bollinger(Bollinger::new(n, k)),
            Kind::Atr(n) => Live::Atr(Atr::new(n)),
            Kind::StdDev(n, k) => Live::StdDev(StdDev::new(n, k)),
            Kind::Highest(n) => Live::Highest(Highest::new(n)),
            Kind::Lowest(n) => Live::Lowest(Lowest::new(n)),
            Kind::Roc(n) => Live::Roc(Roc::new(n)),
        }
    }

    /// Adds `x` (a bar for ATR, whose `x` is unused).
    #[inline]
    pub fn push(&mut self, x: f64, bar: Bar<f64>) {
        match self {
            Live::Sma(i) => i.push(x),
            Live::Ema(i) => i.push(x),
            Live::Wma(i) => i.push(x),
            Live::Rsi(i) => i.push(x),
            Live::Macd(i) => i.push(x),
            Live::Bollinger(i) => i.push(x),
            Live::Atr(i) => i.push(bar),
            Live::StdDev(i) => i.push(x),
            Live::Highest(i) => i.push(x),
            Live::Lowest(i) => i.push(x),
            Live::Roc(i) => i.push(x),
        }
    }

    /// Writes its values (`Kind::outputs` of them) to `out`, NaN while warming up.
    #[inline]
    pub fn write(&self, out: &mut [f64]) {
        let one = |v: Option<f64>| v.unwrap_or(f64::NAN);
        match self {
            Live::Sma(i) => out[0] = one(i.value()),
            Live::Ema(i) => out[0] = one(i.value()),
            Live::Wma(i) => out[0] = one(i.value()),
            Live::Rsi(i) => out[0] = one(i.value()),
            Live::Atr(i) => out[0] = one(i.value()),
            Live::StdDev(i) => out[0] = one(i.value()),
            Live::Highest(i) => out[0] = one(i.value()),
            Live::Lowest(i) => out[0] = one(i.value()),
            Live::Roc(i) => out[0] = one(i.value()),
            Live::Macd(i) => {
                let v = i.value();
                out[0] = one(v.map(|v| v.macd));
                out[1] = one(v.map(|v| v.signal));
                out[2] = one(v.map(|v| v.histogram));
            }
            Live::Bollinger(i) => {
                let v = i.value();
                out[0] = one(v.map(|v| v.upper));
                out[1] = one(v.map(|v| v.middle));
                out[2] = one(v.map(|v| v.lower));
            }
        }
    }
}

/// The declared indicators of a host strategy, one running set per instrument.
#[derive(Clone, Debug)]
pub struct IndicatorSet {
    specs: Vec<Spec>,
    /// Where each spec's values start in the output.
    offsets: Vec<usize>,
    width: usize,
    lanes: Vec<Option<Vec<Live>>>,
}

impl IndicatorSet {
    /// A set of `specs`.
    pub fn new(specs: Vec<Spec>) -> IndicatorSet {
        let mut offsets = Vec::with_capacity(specs.len());
        let mut width = 0;
        for s in &specs {
            offsets.push(width);
            width += s.kind.outputs().len();
        }
        IndicatorSet { specs, offsets, width, lanes: Vec::new() }
    }

    /// The declarations.
    pub fn specs(&self) -> &[Spec] {
        &self.specs
    }

    /// How many values `update` writes.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Feeds `sample` (when the event gave one) to `instrument`'s indicators and writes their
    /// current values to `out` (`width` long; NaN while warming up).
    pub fn update(&mut self, instrument: usize, sample: Option<Sample>, out: &mut [f64]) {
        if self.lanes.len() <= instrument {
            self.lanes.resize(instrument + 1, None);
        }
        let specs = &self.specs;
        let lane =
            self.lanes[instrument].get_or_insert_with(|| specs.iter().map(|s| Live::new(s.kind)).collect());
        if let Some(s) = sample {
            let bar = Bar { high: s.high, low: s.low, close: s.close };
            for (live, spec) in lane.iter_mut().zip(specs) {
                live.push(s.get(spec.source), bar);
            }
        }
        for (live, &at) in lane.iter().zip(&self.offsets) {
            live.write(&mut out[at..]);
        }
    }
}

/// The batch form for hosts: `kind` over `values` (or, for ATR, the `high`/`low`/`close`
/// columns), every output line after the other (`outputs().len() × n` numbers, NaN during
/// warm-up). The same streaming code as `IndicatorSet`, so a chart and a strategy see the same
/// numbers.
pub fn compute(kind: Kind, values: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let n =
        if matches!(kind, Kind::Atr(_)) { high.len().min(low.len()).min(close.len()) } else { values.len() };
    let width = kind.outputs().len();
    let mut out = vec![f64::NAN; width * n];
    let mut live = Live::new(kind);
    let mut one = [f64::NAN; 3];
    for i in 0..n {
        match kind {
            Kind::Atr(_) => live.push(f64::NAN, Bar { high: high[i], low: low[i], close: close[i] }),
            _ => live.push(values[i], Bar { high: f64::NAN, low: f64::NAN, close: f64::NAN }),
        }
        live.write(&mut one);
        for (line, v) in one[..width].iter().enumerate() {
            out[line * n + i] = *v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_declarations_and_names_errors() {
        let specs = Spec::parse_all(
            &json!([["fast", {"sma": 10}], ["m", {"macd": [3, 5, 2]}], ["b", {"bollinger": {"period": 20}, "source": "close"}], ["s", {"stddev": 5}]]),
            "strategy.indicators",
        )
        .unwrap();
        assert_eq!(specs[0], Spec { name: "fast".into(), kind: Kind::Sma(10), source: Source::Price });
        assert_eq!(specs[1].kind, Kind::Macd(3, 5, 2));
        assert_eq!(specs[2].kind, Kind::Bollinger(20, 2.0));
        assert_eq!(specs[2].source, Source::Close);
        assert_eq!(specs[3].kind, Kind::StdDev(5, 1.0));
        assert_eq!(Kind::parse("macd", &json!({}), "m").unwrap(), Kind::Macd(12, 26, 9));
        let err = |v: serde_json::Value| Spec::parse_all(&v, "strategy.indicators").unwrap_err().to_string();
        assert!(err(json!({"x": {"sma": 0}})).contains("strategy.indicators.x.sma"));
        assert!(err(json!({"x": {"sma": 2.5}})).contains("whole period"));
        assert!(err(json!({"x": {"smma": 2}})).contains("unknown indicator"));
        assert!(err(json!({"x": {"sma": 2, "ema": 3}})).contains("already has a kind"));
        assert!(err(json!({"x": {"source": "close"}})).contains("no indicator kind"));
        assert!(err(json!({"x": {"sma": 2, "source": "mid"}})).contains("source"));
        assert!(err(json!({"x": {"bollinger": {"period": 2, "width": 1}}})).contains("x.bollinger.width"));
        assert!(err(json!({"x": {"bollinger": {"period": 2, "k": -1}}})).contains("positive"));
        assert!(err(json!([1])).contains("expected [name, indicator]"));
        assert!(err(json!([["a", {"sma": 1}], ["a", {"sma": 2}]])).contains("declared twice"));
        assert!(err(json!(3)).contains("expected an object"));
        // An object's names come sorted.
        let sorted = Spec::parse_all(&json!({"b": {"sma": 1}, "a": {"sma": 2}}), "i").unwrap();
        assert_eq!(sorted[0].name, "a");
    }

    #[test]
    fn set_writes_every_line_and_keeps_instruments_apart() {
        let specs =
            Spec::parse_all(&json!([["s", {"sma": 2}], ["m", {"macd": [1, 2, 1]}], ["a", {"atr": 1}]]), "i")
                .unwrap();
        let mut set = IndicatorSet::new(specs);
        assert_eq!(set.width(), 5);
        let mut out = vec![0.0; 5];
        let at = |p: f64| Sample { price: p, open: p, high: p + 1.0, low: p - 1.0, close: p, volume: 0.0 };
        set.update(0, Some(at(10.0)), &mut out);
        assert!(out.iter().all(|v| v.is_nan()));
        set.update(1, Some(at(100.0)), &mut out);
        set.update(0, Some(at(12.0)), &mut out);
        assert_eq!(out[0], 11.0);
        assert_eq!(out[4], 3.0); // high 13 − prev close 10
                                 // No sample: values unchanged.
        set.update(0, None, &mut out);
        assert_eq!(out[0], 11.0);
        // The batch form gives the same numbers.
        let b = compute(Kind::Sma(2), &[10.0, 12.0], &[], &[], &[]);
        assert!(b[0].is_nan());
        assert_eq!(b[1], 11.0);
        let m = compute(Kind::Macd(1, 2, 1), &[10.0, 12.0, 11.0], &[], &[], &[]);
        assert_eq!(m.len(), 9);
    }
}
