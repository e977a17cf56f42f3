//! The summary as a text table, like barter's `print_summary`: instrument and asset tear sheets
//! (∞ and N/A where due), then the portfolio statistics under backtesting.py's keys.

use super::metric::drawdown::{Drawdown, MeanDrawdown};
use super::metric::trades::Ratio;
use super::summary::TradingSummary;
use rust_decimal::{Decimal, RoundingStrategy};

/// Display rounding: half away from zero, as people round (Decimal's default is banker's).
fn r(v: Decimal, dp: u32) -> Decimal {
    v.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}
use std::fmt::Write;

fn pct(v: Option<Decimal>, dp: u32) -> String {
    v.map_or("N/A".into(), |v| format!("{:.*}%", dp as usize, r(v * Decimal::ONE_HUNDRED, dp)))
}

fn num(v: Option<Decimal>, dp: u32) -> String {
    v.map_or("N/A".into(), |v| format!("{:.*}", dp as usize, r(v, dp)))
}

fn dd(v: &Option<Drawdown>) -> String {
    pct(v.as_ref().and_then(|d| d.value), 2)
}

fn dd_mean(v: &Option<MeanDrawdown>) -> String {
    pct(v.as_ref().and_then(|d| d.mean_drawdown), 2)
}

fn ratio(v: &Option<Ratio>) -> String {
    match v {
        None => "N/A".into(),
        Some(Ratio::Infinite) => "∞".into(),
        Some(Ratio::Finite(x)) => format!("{:.2}", r(*x, 2)),
    }
}

/// barter's trading duration text: minutes, hours, days, weeks, or "~N Days".
pub fn duration_text(secs: i64) -> String {
    let m = secs / 60;
    let (h, d, w) = (m / 60, m / 1440, m / 10080);
    if m < 60 {
        format!("{m} Minutes")
    } else if h < 24 {
        format!("{h} Hour(s) & {} Minutes", m % 60)
    } else if d <= 7 {
        format!("{d} Day(s) & {} Hour(s)", h % 24)
    } else if d <= 28 {
        format!("{w} Week(s) & {} Day(s)", d % 7)
    } else {
        format!("~{d} Days")
    }
}

fn grid(out: &mut String, title: &str, header: &[String], rows: &[(String, Vec<String>)]) {
    let first = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter().map(|r| r.1[c].chars().count()).chain([header[c].chars().count()]).max().unwrap_or(0)
        })
        .collect();
    let _ = writeln!(out, "{title}");
    let mut line = format!("{:first$}", "");
    for (h, w) in header.iter().zip(&widths) {
        let _ = write!(line, " | {h:>w$}");
    }
    let _ = writeln!(out, "{line}");
    let _ = writeln!(out, "{}", "-".repeat(line.chars().count()));
    for (name, cells) in rows {
        let mut l = format!("{name:first$}");
        for (c, w) in cells.iter().zip(&widths) {
            let _ = write!(l, " | {c:>w$}");
        }
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out);
}

/// A span in pandas' style: `7108 days 00:00:00`.
pub fn span_text(secs: f64) -> String {
    let s = secs.round() as i64;
    format!("{} days {:02}:{:02}:{:02}", s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60)
}

/// Renders the summary: the portfolio view first (backtesting.py's statistics of the equity
/// curve), then the per-instrument tear sheets (closed positions, barter's formulas) and the
/// per-asset balance tear sheets, each titled with its basis so their figures cannot be read as
/// contradicting one another.
pub fn render(s: &TradingSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "TRADING SUMMARY (Trading Duration: {})\n", duration_text(s.trading_duration_secs));
    if let Some(p) = &s.portfolio {
        let _ = writeln!(out, "Portfolio: the equity curve, every asset valued in the valuation asset (backtesting.py's statistics)");
        for (k, v) in p.backtesting_py() {
            let text = match &v {
                serde_json::Value::Null => "N/A".to_string(),
                serde_json::Value::Number(n) if k.contains("Duration") => {
                    span_text(n.as_f64().unwrap_or(0.0))
                }
                serde_json::Value::Number(n) if n.is_f64() => {
                    format!("{:.6}", n.as_f64().unwrap_or(f64::NAN))
                }
                serde_json::Value::String(t) => t.clone(),
                other => other.to_string(),
            };
            let _ = writeln!(out, "{k:<26} {text:>24}");
        }
        let _ = writeln!(out);
    }
    let label = &s.interval_label;
    let header: Vec<String> = s.instruments.0.iter().map(|(n, _)| n.clone()).collect();
    let col = |f: &dyn Fn(&super::summary::TearSheet) -> String| {
        s.instruments.0.iter().map(|(_, t)| f(t)).collect::<Vec<_>>()
    };
    let money = |d: &Option<Drawdown>| num(d.as_ref().map(|d| d.amount), 2);
    let rows = vec![
        ("PnL Closed".to_string(), col(&|t| num(Some(t.pnl), 2))),
        ("PnL Open at End".to_string(), col(&|t| num(Some(t.pnl_open), 2))),
        (format!("Return {label}"), col(&|t| pct(t.pnl_return, 4))),
        (format!("Sharpe {label}"), col(&|t| num(t.sharpe_ratio, 4))),
        (format!("Sortino {label}"), col(&|t| num(t.sortino_ratio, 4))),
        (format!("Calmar {label}"), col(&|t| num(t.calmar_ratio, 4))),
        // Cumulative PnL starts at zero: a drawdown as a share of its peak says nothing, the
        // amount does.
        ("PnL Drawdown".to_string(), col(&|t| money(&t.pnl_drawdown))),
        ("PnL Drawdown Max".to_string(), col(&|t| money(&t.pnl_drawdown_max))),
        ("Win Rate".to_string(), col(&|t| pct(t.win_rate, 1))),
        ("Profit Factor".to_string(), col(&|t| ratio(&t.profit_factor))),
        ("Trades".to_string(), col(&|t| t.trades.to_string())),
    ];
    let title = format!(
        "Instrument TearSheets: closed positions (PnL in the quote asset; return and ratios from the mean return per position, scaled to {label})"
    );
    grid(&mut out, &title, &header, &rows);
    let header: Vec<String> = s.assets.0.iter().map(|(n, _)| n.clone()).collect();
    let col = |f: &dyn Fn(&super::summary::TearSheetAsset) -> String| {
        s.assets.0.iter().map(|(_, t)| f(t)).collect::<Vec<_>>()
    };
    let rows = vec![
        ("Balance".to_string(), col(&|t| num(t.balance_end.map(|b| b.total), 8))),
        ("Drawdown".to_string(), col(&|t| dd(&t.drawdown))),
        ("Drawdown Avg".to_string(), col(&|t| dd_mean(&t.drawdown_mean))),
        ("Drawdown Max".to_string(), col(&|t| dd(&t.drawdown_max))),
    ];
    grid(
        &mut out,
        "Asset TearSheets: each asset's own balance (drawdowns from its peak balance)",
        &header,
        &rows,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_like_barter() {
        assert_eq!(duration_text(59 * 60), "59 Minutes");
        assert_eq!(duration_text(3 * 3600 + 120), "3 Hour(s) & 2 Minutes");
        assert_eq!(duration_text(2 * 86400 + 3600), "2 Day(s) & 1 Hour(s)");
        assert_eq!(duration_text(15 * 86400), "2 Week(s) & 1 Day(s)");
        assert_eq!(duration_text(300 * 86400), "~300 Days");
    }

    #[test]
    fn spans_like_pandas() {
        assert_eq!(span_text(614131200.0), "7108 days 00:00:00");
        assert_eq!(span_text(3661.0), "0 days 01:01:01");
    }

    #[test]
    fn infinity_and_na() {
        assert_eq!(ratio(&Some(Ratio::Infinite)), "∞");
        assert_eq!(ratio(&None), "N/A");
        assert_eq!(pct(None, 2), "N/A");
        assert_eq!(pct(Some("0.12345".parse().unwrap()), 2), "12.35%");
    }
}
