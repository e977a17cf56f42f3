//! The analytics helpers by name, for the host faces (JS, Python): one entry point taking JSON
//! arguments and returning JSON, so every face exposes the same functions with the same errors.
//! Decimals are given as strings (exact) or numbers (their shortest form) and returned as
//! strings; undefined results are `null`.

use super::metric::{drawdown, ratio, trades, welford::Welford};
use crate::config::SummaryInterval;
use crate::error::EngineError;
use crate::strategy::host::{decimal_from_f64, decimal_from_text};
use crate::time::Timestamp;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// The helpers `compute` knows, in the order the docs list them.
pub const NAMES: [&str; 10] = [
    "welford",
    "sharpe",
    "sortino",
    "calmar",
    "rate_of_return",
    "rescale_ratio",
    "drawdowns",
    "win_rate",
    "profit_factor",
    "trade_quality",
];

/// The arguments of one call: a JSON object read by hand (no serde derive: this code ships in
/// the browser build, where every generic instantiation counts).
struct Args<'a> {
    name: &'a str,
    map: &'a serde_json::Map<String, Value>,
}

impl<'a> Args<'a> {
    fn new(name: &'a str, v: &'a Value, known: &[&str]) -> Result<Self, EngineError> {
        let map =
            v.as_object().ok_or_else(|| EngineError::argument(name, "expected an object of arguments"))?;
        if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(EngineError::argument(
                name,
                format!("unknown field `{k}`, expected one of {}", known.join(", ")),
            ));
        }
        Ok(Args { name, map })
    }

    fn decimal_at(x: &Value, field: &str) -> Result<Decimal, EngineError> {
        let parsed = match x {
            Value::String(t) => decimal_from_text(t),
            Value::Number(n) => n.as_f64().map_or(Err("not a number".to_string()), decimal_from_f64),
            other => Err(format!("expected a decimal string or a number, got {other}")),
        };
        parsed.map_err(|m| EngineError::argument(field, m))
    }

    fn decimal(&self, key: &str) -> Result<Option<Decimal>, EngineError> {
        self.map.get(key).filter(|v| !v.is_null()).map(|x| Self::decimal_at(x, key)).transpose()
    }

    fn list(&self, key: &str) -> Result<Option<&'a Vec<Value>>, EngineError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(EngineError::argument(key, "expected an array")),
        }
    }

    fn decimals(&self, key: &str) -> Result<Option<Vec<Decimal>>, EngineError> {
        self.list(key)?
            .map(|a| a.iter().enumerate().map(|(i, x)| Self::decimal_at(x, &format!("{key}[{i}]"))).collect())
            .transpose()
    }

    fn required(&self, key: &str) -> Result<Vec<Decimal>, EngineError> {
        self.decimals(key)?.ok_or_else(|| EngineError::argument(self.name, format!("missing field `{key}`")))
    }

    /// A period: an interval name (`daily`, `annual252`, `annual365`) or seconds; default daily.
    fn seconds(&self, key: &str) -> Result<i64, EngineError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(SummaryInterval::Daily.seconds()),
            Some(Value::Number(n)) => n.as_i64().filter(|s| *s > 0).ok_or_else(|| {
                EngineError::argument(key, format!("{n}: a period must be a positive number of seconds"))
            }),
            Some(Value::String(n)) => SummaryInterval::from_name(n).map(|i| i.seconds()).map_err(|_| {
                EngineError::argument(
                    key,
                    format!("{n:?} is not daily, annual252, annual365 or a number of seconds"),
                )
            }),
            Some(other) => {
                Err(EngineError::argument(key, format!("expected an interval name or seconds, got {other}")))
            }
        }
    }
}

/// Decimals leave without trailing zeros (0.05, not 0.0500000000000000000000000000).
fn nz(d: Option<Decimal>) -> Option<Decimal> {
    d.map(|x| x.normalize())
}

/// Values past Decimal's range for the arithmetic asked of them. A typed refusal: a panic here
/// would trap the wasm module and lose every later call.
fn overflow(field: &str) -> EngineError {
    EngineError::argument(
        field,
        "these values overflow decimal arithmetic (at most 28 significant digits, |x| < 7.9e28); \
         scale them down",
    )
}

fn welford(values: &[Decimal], field: &str) -> Result<Welford, EngineError> {
    let mut w = Welford::default();
    for x in values {
        w.checked_update(*x).ok_or_else(|| overflow(field))?;
    }
    Ok(w)
}

/// Downside σ: the population σ of the negative returns (barter's Sortino denominator).
fn downside(values: &[Decimal]) -> Result<Decimal, EngineError> {
    let losses: Vec<Decimal> = values.iter().copied().filter(|r| *r < Decimal::ZERO).collect();
    Ok(welford(&losses, "returns")?.population_std_dev().unwrap_or_default())
}

/// Σ of decimals, refused when it overflows.
fn sum<'a>(values: impl IntoIterator<Item = &'a Decimal>, field: &str) -> Result<Decimal, EngineError> {
    values.into_iter().try_fold(Decimal::ZERO, |acc, x| acc.checked_add(*x)).ok_or_else(|| overflow(field))
}

const RATIO_KEYS: [&str; 6] = ["returns", "mean", "dispersion", "risk_free", "period", "interval"];

fn ratio_of(name: &str, v: &Value) -> Result<Value, EngineError> {
    let a = Args::new(name, v, &RATIO_KEYS)?;
    let (p, i) = (a.seconds("period")?, a.seconds("interval")?);
    let rfr = a.decimal("risk_free")?.unwrap_or_default();
    let (mean, dispersion) = match (a.decimals("returns")?, a.decimal("mean")?, a.decimal("dispersion")?) {
        (Some(r), None, None) => {
            let w = welford(&r, "returns")?;
            let d = match name {
                "sortino" => downside(&r)?,
                "calmar" => {
                    let mut equity = Vec::with_capacity(r.len() + 1);
                    equity.push(Decimal::ONE);
                    for x in &r {
                        let last = equity[equity.len() - 1];
                        let next = Decimal::ONE.checked_add(*x).and_then(|g| last.checked_mul(g));
                        equity.push(next.ok_or_else(|| overflow("returns"))?);
                    }
                    let g = drawdown::drawdowns(
                        equity.into_iter().enumerate().map(|(k, e)| (Timestamp::from_millis(k as i64), e)),
                    )
                    .ok_or_else(|| overflow("returns"))?;
                    g.max().and_then(|m| m.value).unwrap_or_default()
                }
                _ => w.population_std_dev().unwrap_or_default(),
            };
            (w.mean, d)
        }
        (None, Some(m), Some(d)) => (m, d),
        _ => return Err(EngineError::argument(name, "give returns, or mean and dispersion")),
    };
    let value = match name {
        "sharpe" => ratio::sharpe(rfr, mean, dispersion, p, i),
        "sortino" => ratio::sortino(rfr, mean, dispersion, p, i),
        _ => ratio::calmar(rfr, mean, dispersion, p, i),
    };
    Ok(json!({"value": nz(value), "mean": nz(Some(mean)), "dispersion": nz(Some(dispersion))}))
}

fn time_of(v: &Value, i: usize) -> Result<Timestamp, EngineError> {
    let field = format!("times[{i}]");
    match v {
        Value::String(s) => Timestamp::parse_rfc3339(s).map_err(|m| EngineError::argument(field, m)),
        Value::Number(n) => n
            .as_f64()
            .and_then(Timestamp::from_millis_f64)
            .ok_or_else(|| EngineError::argument(field, "not a time in ms")),
        _ => Err(EngineError::argument(field, "expected RFC 3339 text or ms since the epoch")),
    }
}

/// Runs helper `name` on JSON arguments. Errors are `INVALID_ARGUMENT` naming the field.
pub fn compute(name: &str, v: Value) -> Result<Value, EngineError> {
    let v = &v;
    match name {
        "welford" => {
            let w = welford(&Args::new(name, v, &["values"])?.required("values")?, "values")?;
            Ok(json!({
                "count": w.count, "sum": nz(Some(w.sum)), "mean": nz((w.count > 0).then_some(w.mean)),
                "population_variance": nz(w.population_variance()), "sample_variance": nz(w.sample_variance()),
                "population_std_dev": nz(w.population_std_dev()),
            }))
        }
        "sharpe" | "sortino" | "calmar" => ratio_of(name, v),
        "rate_of_return" => {
            let a = Args::new(name, v, &["returns", "mean", "period", "interval"])?;
            let (p, i) = (a.seconds("period")?, a.seconds("interval")?);
            let mean = match (a.decimals("returns")?, a.decimal("mean")?) {
                (Some(r), None) => welford(&r, "returns")?.mean,
                (None, Some(m)) => m,
                _ => return Err(EngineError::argument(name, "give returns or mean")),
            };
            Ok(json!({"value": nz(ratio::rate_of_return(mean, p, i)), "mean": nz(Some(mean))}))
        }
        "rescale_ratio" => {
            let a = Args::new(name, v, &["value", "from", "to"])?;
            let value =
                a.decimal("value")?.ok_or_else(|| EngineError::argument(name, "missing field `value`"))?;
            Ok(json!({"value": nz(ratio::rescale_ratio(value, a.seconds("from")?, a.seconds("to")?))}))
        }
        "drawdowns" => {
            let a = Args::new(name, v, &["values", "times"])?;
            let values = a.required("values")?;
            let times: Vec<Timestamp> = match a.list("times")? {
                None => (0..values.len()).map(|k| Timestamp::from_millis(k as i64)).collect(),
                Some(t) if t.len() == values.len() => {
                    t.iter().enumerate().map(|(k, x)| time_of(x, k)).collect::<Result<_, _>>()?
                }
                Some(t) => {
                    return Err(EngineError::argument(
                        "times",
                        format!("{} times for {} values", t.len(), values.len()),
                    ))
                }
            };
            let g = drawdown::drawdowns(times.into_iter().zip(values)).ok_or_else(|| overflow("values"))?;
            Ok(json!({"max": g.max(), "mean": g.mean(), "current": g.current()}))
        }
        "win_rate" | "profit_factor" | "trade_quality" => {
            let pnls = Args::new(name, v, &["pnls"])?.required("pnls")?;
            let wins = pnls.iter().filter(|p| **p > Decimal::ZERO).count() as u64;
            let profit = sum(pnls.iter().filter(|p| **p > Decimal::ZERO), "pnls")?;
            let loss = sum(pnls.iter().filter(|p| **p < Decimal::ZERO), "pnls")?;
            let floats: Vec<f64> = pnls.iter().map(|p| p.to_f64().unwrap_or(f64::NAN)).collect();
            Ok(match name {
                "win_rate" => {
                    json!({"value": nz(trades::win_rate(wins, pnls.len() as u64)), "wins": wins, "total": pnls.len()})
                }
                "profit_factor" => {
                    let value = trades::profit_factor(profit, loss).map(|r| match r {
                        trades::Ratio::Finite(x) => trades::Ratio::Finite(x.normalize()),
                        inf => inf,
                    });
                    json!({"value": value, "gross_profit": nz(Some(profit)), "gross_loss": nz(Some(loss))})
                }
                _ => json!({"sqn": trades::sqn(&floats), "kelly": trades::kelly(&floats)}),
            })
        }
        other => Err(EngineError::argument("name", format!("{other:?} is not one of {}", NAMES.join(", ")))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(name: &str, v: Value) -> Value {
        compute(name, v).unwrap()["value"].clone()
    }

    // barter-model.md §10 vectors, through the JSON face.
    #[test]
    fn barter_vectors_by_name() {
        assert_eq!(
            value("sharpe", json!({"risk_free": "0.0015", "mean": "0.0025", "dispersion": "0.02"})),
            json!("0.05")
        );
        assert_eq!(
            value("rescale_ratio", json!({"value": "0.05", "from": "daily", "to": "annual252"})),
            json!("0.7937253933193771771504847261")
        );
        assert_eq!(
            value("sortino", json!({"risk_free": 0.001, "mean": -0.002, "dispersion": 0.015})),
            json!("-0.2")
        );
        assert_eq!(
            value("calmar", json!({"risk_free": "0.001", "mean": "0.002", "dispersion": "-0.015"})),
            json!("0.0666666666666666666666666667")
        );
        assert_eq!(value("rate_of_return", json!({"mean": "0.01", "interval": "annual252"})), json!("2.52"));
        assert_eq!(
            value("rate_of_return", json!({"mean": "0.01", "period": 7200, "interval": 28800})),
            json!("0.04")
        );
        assert_eq!(value("sharpe", json!({"mean": "0.0025", "dispersion": "0"})), Value::Null);
    }

    #[test]
    fn series_forms() {
        // Returns 1%, -1%, 3%: mean 0.01, population σ √(0.0008/3).
        let r = compute("sharpe", json!({"returns": ["0.01", "-0.01", "0.03"]})).unwrap();
        assert_eq!(r["mean"], json!("0.01"));
        let sd: f64 = r["dispersion"].as_str().unwrap().parse().unwrap();
        assert!((sd - (0.0008f64 / 3.0).sqrt()).abs() < 1e-15);
        let w = compute("welford", json!({"values": [1, 2, 3, 4]})).unwrap();
        assert_eq!(
            (w["mean"].clone(), w["sample_variance"].as_str().unwrap().parse::<f64>().unwrap()),
            (json!("2.5"), 5.0 / 3.0)
        );
        let d = compute(
            "drawdowns",
            json!({"values": [100, 120, 90, 130, 117], "times": [0, 1000, 2000, 3000, 4000]}),
        )
        .unwrap();
        assert_eq!(d["max"]["value"], json!("0.25"));
        assert_eq!(d["current"]["amount"], json!("13"));
        let pf = compute("profit_factor", json!({"pnls": ["10", "-5", "20"]})).unwrap();
        assert_eq!(pf["value"], json!({"Finite": "6"}));
        assert_eq!(value("profit_factor", json!({"pnls": ["10"]})), json!("Infinite"));
        assert_eq!(value("win_rate", json!({"pnls": ["10", "-5", "20", "0"]})), json!("0.5"));
        // SQN of (10, -5, 20): √3 · 8.333… / 12.583… = 1.1470786693528088.
        let q = compute("trade_quality", json!({"pnls": [10, -5, 20]})).unwrap();
        assert!((q["sqn"].as_f64().unwrap() - 1.1470786693528088).abs() < 1e-12);
        // Kelly: W = 2/3, mean win 15, mean loss 5 → 2/3 − (1/3)/3 = 0.5555…
        assert!((q["kelly"].as_f64().unwrap() - 5.0 / 9.0).abs() < 1e-12);
    }

    // Values near Decimal's limit used to panic (a trap in wasm, losing the module): now a typed
    // refusal naming the field, or null where the result alone is undefined.
    #[test]
    fn values_near_the_decimal_limit_never_panic() {
        let big = json!({"returns": [1e28, -1e28]});
        for name in ["sharpe", "sortino", "calmar", "rate_of_return"] {
            let e = compute(name, big.clone()).unwrap_err().to_string();
            assert!(e.starts_with("INVALID_ARGUMENT: returns: these values overflow"), "{name}: {e}");
        }
        let e = compute("welford", json!({"values": ["7e28", "7e28"]})).unwrap_err().to_string();
        assert!(e.starts_with("INVALID_ARGUMENT: values: these values overflow"), "{e}");
        let e = compute("drawdowns", json!({"values": ["7e28", "-7e28"]})).unwrap_err().to_string();
        assert!(e.starts_with("INVALID_ARGUMENT: values"), "{e}");
        let e = compute("drawdowns", json!({"values": ["1e-28", "-7e28"]})).unwrap_err().to_string();
        assert!(e.starts_with("INVALID_ARGUMENT: values"), "{e}");
        let e = compute("profit_factor", json!({"pnls": ["7e28", "7e28"]})).unwrap_err().to_string();
        assert!(e.starts_with("INVALID_ARGUMENT: pnls"), "{e}");
        assert_eq!(value("profit_factor", json!({"pnls": ["7e28", "-1e-28"]})), Value::Null);
        assert_eq!(value("sharpe", json!({"mean": "7e28", "dispersion": "1e-28"})), Value::Null);
        assert_eq!(value("rescale_ratio", json!({"value": "7e28", "from": 1, "to": 1000000})), Value::Null);
        assert_eq!(value("rate_of_return", json!({"mean": "7e28", "interval": "annual365"})), Value::Null);
        // Far-apart times: saturated durations, not an overflow.
        assert!(compute("drawdowns", json!({"values": [2, 1, 3], "times": [-1e15, 1e15, 1e15]})).is_ok());
        let q = compute("trade_quality", json!({"pnls": [1e28, -1e28, 5e27]})).unwrap();
        assert!(q["sqn"].is_number() || q["sqn"].is_null());
    }

    #[test]
    fn bad_arguments_name_the_field() {
        let e = |name: &str, v: Value| compute(name, v).unwrap_err().to_string();
        assert_eq!(
            e("sharpe", json!({"returns": ["x"]})),
            "INVALID_ARGUMENT: returns[0]: \"x\" is not a decimal: Failed to parse"
        );
        assert!(e("sharpe", json!({"mean": "1"})).starts_with("INVALID_ARGUMENT: sharpe: give returns"));
        assert!(
            e("sharpe", json!({"returns": [], "period": "weekly"})).starts_with("INVALID_ARGUMENT: period")
        );
        assert!(e("sharpe", json!({"returns": [], "period": 0})).starts_with("INVALID_ARGUMENT: period: 0"));
        assert!(e("welford", json!({"values": [1], "extra": 1})).contains("unknown field `extra`"));
        assert!(e("welford", json!([1])).starts_with("INVALID_ARGUMENT: welford: expected an object"));
        assert!(e("welford", json!({})).contains("missing field `values`"));
        assert!(e("welford", json!({"values": 3})).starts_with("INVALID_ARGUMENT: values: expected an array"));
        assert!(e("drawdowns", json!({"values": [1, 2], "times": [0]}))
            .starts_with("INVALID_ARGUMENT: times: 1 times for 2 values"));
        assert!(
            e("drawdowns", json!({"values": [1], "times": [true]})).starts_with("INVALID_ARGUMENT: times[0]")
        );
        assert!(e("median", json!({})).starts_with("INVALID_ARGUMENT: name"));
    }
}
