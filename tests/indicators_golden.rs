//! The indicator library against TA-Lib: every indicator of `src/indicator/` on the S&P 500 file
//! and a NASDAQ slice, warm-up included (TA-Lib's NaN lookback is null in the golden files, and must
//! be None here exactly where it is null there), every value within 1e-9. The golden files come
//! from scripts/golden/indicators.py; this test needs no Python.
//!
//! Three paths are checked: the hosts' batch function (`spec::compute`, what JS charts and the
//! declared indicators of JS strategies run), the generic streaming types in `f64` (must equal the
//! batch path to the bit), and the same types in exact decimals (what the built-in strategies run).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;
use tidemark::indicator as ind;
use tidemark::indicator::spec::{compute, Kind, Source, Spec};

/// Absolute tolerance against TA-Lib.
const TOLERANCE: f64 = 1e-9;

/// FNV-1a (32 bits) of every value of every series of a golden file, as computed by the batch path
/// (little-endian f64 bytes, series and lines in file order, warm-up as the canonical NaN). The
/// same constants are pinned in tests/js/indicators.test.mjs, computed there by the wasm build: the
/// two builds give the same bits.
const CHECKSUMS: [(&str, u32); 2] = [("sp500", 0xea39_3b73), ("nasdaq", 0xb032_dd16)];

fn fnv(hash: u32, values: &[f64]) -> u32 {
    let mut h = hash;
    for v in values {
        let bits = if v.is_nan() { f64::NAN.to_bits() } else { v.to_bits() };
        for b in bits.to_le_bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    h
}

struct Golden {
    high: Vec<f64>,
    low: Vec<f64>,
    close: Vec<f64>,
    series: Vec<Value>,
}

fn load(name: &str) -> Golden {
    let path = format!("{}/tests/golden/indicators_{name}.json", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let col = |k: &str| -> Vec<f64> {
        doc["input"][k].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
    };
    let g = Golden {
        high: col("high"),
        low: col("low"),
        close: col("close"),
        series: doc["series"].as_array().unwrap().clone(),
    };
    assert_eq!(g.close.len() as u64, doc["rows"].as_u64().unwrap());
    assert_eq!(g.series.len(), 22, "every indicator has golden series");
    g
}

fn input(g: &Golden, source: Source) -> &[f64] {
    match source {
        Source::High => &g.high,
        Source::Low => &g.low,
        Source::Price | Source::Close => &g.close,
        other => panic!("no golden column for {other:?}"),
    }
}

/// Compares one line; returns the largest deviation, and the first failure into `failures`.
fn compare(what: &str, got: &[Option<f64>], want: &Value, failures: &mut Vec<String>) -> f64 {
    let want = want.as_array().unwrap();
    assert_eq!(got.len(), want.len(), "{what}: length");
    let mut worst: f64 = 0.0;
    let mut failed = false;
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let problem = match (g, w.as_f64()) {
            (None, None) => None,
            (Some(g), Some(w)) => {
                let d = (g - w).abs();
                worst = worst.max(d);
                (d > TOLERANCE).then(|| format!("{what}[{i}]: tidemark {g} vs TA-Lib {w} (off by {d:e})"))
            }
            (g, w) => Some(format!("{what}[{i}]: warm-up differs: tidemark {g:?} vs TA-Lib {w:?}")),
        };
        if let Some(p) = problem {
            if !failed {
                failures.push(p);
                failed = true;
            }
        }
    }
    worst
}

fn spec_of(s: &Value) -> Spec {
    Spec::parse(s["name"].as_str().unwrap(), &s["indicator"], "indicator").unwrap()
}

fn nan_to_none(xs: &[f64]) -> Vec<Option<f64>> {
    xs.iter().map(|x| (!x.is_nan()).then_some(*x)).collect()
}

/// The generic streaming form of `kind` in any value type, as output lines.
fn streaming<V: ind::Value>(
    kind: Kind,
    xs: &[V],
    high: &[V],
    low: &[V],
    close: &[V],
    k: impl Fn(f64) -> V,
) -> Vec<Vec<Option<V>>> {
    let bands = |v: Vec<Option<ind::Bands<V>>>| {
        vec![
            v.iter().map(|b| b.map(|b| b.upper)).collect(),
            v.iter().map(|b| b.map(|b| b.middle)).collect(),
            v.iter().map(|b| b.map(|b| b.lower)).collect(),
        ]
    };
    match kind {
        Kind::Sma(n) => vec![ind::sma(xs, n)],
        Kind::Ema(n) => vec![ind::ema(xs, n)],
        Kind::Wma(n) => vec![ind::wma(xs, n)],
        Kind::Rsi(n) => vec![ind::rsi(xs, n)],
        Kind::Atr(n) => vec![ind::atr(high, low, close, n)],
        Kind::StdDev(n, f) => vec![ind::stddev(xs, n, k(f))],
        Kind::Highest(n) => vec![ind::highest(xs, n)],
        Kind::Lowest(n) => vec![ind::lowest(xs, n)],
        Kind::Roc(n) => vec![ind::roc(xs, n)],
        Kind::Bollinger(n, f) => bands(ind::bollinger(xs, n, k(f))),
        Kind::Macd(f, s, g) => {
            let v = ind::macd(xs, f, s, g);
            vec![
                v.iter().map(|m| m.map(|m| m.macd)).collect(),
                v.iter().map(|m| m.map(|m| m.signal)).collect(),
                v.iter().map(|m| m.map(|m| m.histogram)).collect(),
            ]
        }
    }
}

fn check_file(name: &str) {
    let g = load(name);
    let n = g.close.len();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let mut checksum = 0x811c_9dc5;
    for s in &g.series {
        let spec = spec_of(s);
        let what = format!("{name} {}", spec.name);
        let xs = input(&g, spec.source);
        // The hosts' batch path.
        let flat = compute(spec.kind, xs, &g.high, &g.low, &g.close);
        checksum = fnv(checksum, &flat);
        let lines: Vec<Vec<Option<f64>>> = flat.chunks(n).map(nan_to_none).collect();
        let outputs = s["outputs"].as_array().unwrap();
        assert_eq!(lines.len(), outputs.len(), "{what}: lines");
        let mut worst: f64 = 0.0;
        for (line, (got, out)) in lines.iter().zip(outputs).enumerate() {
            worst = worst.max(compare(
                &format!("{what}.{}", out.as_str().unwrap()),
                got,
                &s["values"][line],
                &mut failures,
            ));
        }
        // The generic streaming types in f64: the same bits as the batch path.
        let stream = streaming(spec.kind, xs, &g.high, &g.low, &g.close, |k| k);
        let bits = |l: &[Option<f64>]| l.iter().map(|v| v.map(f64::to_bits)).collect::<Vec<_>>();
        for (a, b) in stream.iter().zip(&lines) {
            assert_eq!(bits(a), bits(b), "{what}: streaming f64 vs batch");
        }
        // The same types in exact decimals, from the prices as written.
        let dec =
            |c: &[f64]| c.iter().map(|x| Decimal::from_str(&format!("{x}")).unwrap()).collect::<Vec<_>>();
        let (dh, dl, dc) = (dec(&g.high), dec(&g.low), dec(&g.close));
        let dx = dec(xs);
        let exact = streaming(spec.kind, &dx, &dh, &dl, &dc, |k| Decimal::from_str(&format!("{k}")).unwrap());
        let mut worst_decimal: f64 = 0.0;
        for (line, got) in exact.iter().enumerate() {
            let got: Vec<Option<f64>> = got.iter().map(|v| v.map(|d| d.to_f64().unwrap())).collect();
            worst_decimal = worst_decimal.max(compare(
                &format!("{what} (decimal) line {line}"),
                &got,
                &s["values"][line],
                &mut failures,
            ));
        }
        report.push(format!("{what}: max |Δ| f64 {worst:.1e}, decimal {worst_decimal:.1e}"));
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{} lines differ from TA-Lib:\n{}", failures.len(), failures.join("\n"));
    let pinned = CHECKSUMS.iter().find(|(n, _)| *n == name).map(|(_, c)| *c);
    assert_eq!(
        Some(checksum),
        pinned,
        "{name}: native bits differ from the wasm build's (checksum {checksum:#010x})"
    );
}

#[test]
fn sp500_against_ta_lib() {
    check_file("sp500");
}

#[test]
fn nasdaq_against_ta_lib() {
    check_file("nasdaq");
}

#[test]
fn streaming_equals_batch_under_interleaving() {
    // Two instruments' indicators interleaved in one set, and a sample-less event in between,
    // give each the numbers of its own batch run.
    let g = load("nasdaq");
    let decl = serde_json::json!([["r", {"rsi": 14}], ["b", {"bollinger": 20}], ["a", {"atr": 14}]]);
    let mut set = tidemark::indicator::spec::IndicatorSet::new(Spec::parse_all(&decl, "i").unwrap());
    let mut out = vec![0.0; set.width()];
    let rsi = compute(Kind::Rsi(14), &g.close, &[], &[], &[]);
    let atr = compute(Kind::Atr(14), &[], &g.high, &g.low, &g.close);
    let reversed: Vec<f64> = g.close.iter().rev().copied().collect();
    let rsi_rev = compute(Kind::Rsi(14), &reversed, &[], &[], &[]);
    for i in 0..g.close.len() {
        let p = g.close[i];
        let sample = tidemark::indicator::spec::Sample {
            price: p,
            open: p,
            high: g.high[i],
            low: g.low[i],
            close: p,
            volume: 0.0,
        };
        set.update(0, Some(sample), &mut out);
        assert_eq!(out[0].to_bits(), rsi[i].to_bits(), "rsi {i}");
        assert_eq!(out[4].to_bits(), atr[i].to_bits(), "atr {i}");
        let q = reversed[i];
        set.update(
            1,
            Some(tidemark::indicator::spec::Sample {
                price: q,
                open: q,
                high: q,
                low: q,
                close: q,
                volume: 0.0,
            }),
            &mut out,
        );
        assert_eq!(out[0].to_bits(), rsi_rev[i].to_bits(), "rsi reversed {i}");
        set.update(0, None, &mut out);
        assert_eq!(out[0].to_bits(), rsi[i].to_bits(), "rsi unchanged {i}");
    }
}
