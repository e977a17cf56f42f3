//! Drawdowns of a value series (equity, balance, cumulative PnL): peak-to-trough episodes, each
//! with its relative depth (when the peak is positive) and absolute depth (always), plus the
//! running maximum and mean. Unlike barter, a series that goes negative still records drawdowns.

use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One drawdown episode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Drawdown {
    /// (peak − trough) / peak as a positive fraction; None when the peak was not positive.
    pub value: Option<Decimal>,
    /// peak − trough.
    pub amount: Decimal,
    /// When the peak was set.
    pub time_start: Timestamp,
    /// When the episode ended (recovery) or the latest observation for the current one.
    pub time_end: Timestamp,
}

/// Mean drawdown over completed episodes (and the current one when summarised).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeanDrawdown {
    /// Mean relative depth over episodes whose depth is defined.
    pub mean_drawdown: Option<Decimal>,
    /// Mean duration in milliseconds (exact mean, not integer-divided as barter does).
    pub mean_drawdown_ms: Decimal,
    /// Episodes counted.
    pub count: u64,
}

/// Tracks drawdowns of a series fed in time order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawdownGenerator {
    peak: Option<(Decimal, Timestamp)>,
    current: Option<Drawdown>,
    max: Option<Drawdown>,
    sum_value: Decimal,
    count_value: u64,
    sum_ms: Decimal,
    count: u64,
}

fn deeper(a: &Drawdown, b: &Drawdown) -> bool {
    match (a.value, b.value) {
        (Some(x), Some(y)) => x > y,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => a.amount > b.amount,
    }
}

impl DrawdownGenerator {
    /// Adds an observation; returns the episode it ended, if any.
    #[allow(
        clippy::expect_used,
        reason = "the engine feeds balances and PnL bounded by MAX_BALANCE; values from anywhere go through checked_update"
    )]
    pub fn update(&mut self, time: Timestamp, value: Decimal) -> Option<Drawdown> {
        self.checked_update(time, value).expect("drawdown arithmetic overflowed")
    }

    /// `update` for values from anywhere (the analytics helpers): None when the arithmetic
    /// overflows Decimal (values near ±7.9e28, or a tiny positive peak before a deep fall),
    /// where `update` would panic and a wasm build would trap.
    pub fn checked_update(&mut self, time: Timestamp, value: Decimal) -> Option<Option<Drawdown>> {
        let Some((peak, peak_time)) = self.peak else {
            self.peak = Some((value, time));
            return Some(None);
        };
        if value >= peak {
            self.peak = Some((value, time));
            let ended = self.current.take().map(|mut d| {
                d.time_end = time;
                d
            });
            if let Some(d) = &ended {
                self.record(d)?;
            }
            return Some(ended);
        }
        let amount = crate::decimal::checked_sub(peak, value)?;
        // The fraction is kept only at a new deepest point: the division, the costly part, only
        // then (and before anything changes, so an overflow leaves the generator as it was).
        let deepest = self.current.as_ref().is_none_or(|c| amount > c.amount);
        let value_frac = match deepest && peak > Decimal::ZERO {
            true => Some(crate::decimal::checked_div(amount, peak)?),
            false => None,
        };
        let cur = self.current.get_or_insert(Drawdown {
            value: None,
            amount: Decimal::ZERO,
            time_start: peak_time,
            time_end: time,
        });
        cur.time_end = time;
        if amount > cur.amount {
            cur.amount = amount;
            cur.value = value_frac;
        }
        Some(None)
    }

    fn record(&mut self, d: &Drawdown) -> Option<()> {
        if let Some(v) = d.value {
            self.sum_value = crate::decimal::checked_add(self.sum_value, v)?;
            self.count_value += 1;
        }
        self.sum_ms = crate::decimal::checked_add(self.sum_ms, duration_ms(d))?;
        self.count += 1;
        if self.max.as_ref().is_none_or(|m| deeper(d, m)) {
            self.max = Some(d.clone());
        }
        Some(())
    }

    /// The unfinished episode, if the series is below its peak.
    pub fn current(&self) -> Option<&Drawdown> {
        self.current.as_ref()
    }

    /// The deepest episode, counting the unfinished one. Does not change the generator (barter's
    /// `generate` mutates, so calling it twice double-counts).
    pub fn max(&self) -> Option<Drawdown> {
        let mut best = self.max.clone();
        if let Some(c) = &self.current {
            if best.as_ref().is_none_or(|m| deeper(c, m)) {
                best = Some(c.clone());
            }
        }
        best
    }

    /// The mean over episodes, counting the unfinished one.
    #[allow(clippy::expect_used, reason = "as `update`: the engine's values are bounded; see checked_mean")]
    pub fn mean(&self) -> Option<MeanDrawdown> {
        self.checked_mean().expect("drawdown arithmetic overflowed")
    }

    /// `mean`, None when its sums overflow Decimal (see `checked_update`).
    pub fn checked_mean(&self) -> Option<Option<MeanDrawdown>> {
        let (mut sv, mut cv, mut sms, mut n) = (self.sum_value, self.count_value, self.sum_ms, self.count);
        if let Some(c) = &self.current {
            if let Some(v) = c.value {
                sv = crate::decimal::checked_add(sv, v)?;
                cv += 1;
            }
            sms = crate::decimal::checked_add(sms, duration_ms(c))?;
            n += 1;
        }
        Some((n > 0).then(|| MeanDrawdown {
            mean_drawdown: (cv > 0).then(|| sv / Decimal::from(cv)),
            mean_drawdown_ms: sms / Decimal::from(n),
            count: n,
        }))
    }
}

/// An episode's length in ms. Saturating: times given to the analytics helpers may be far apart
/// (or out of order) enough to overflow i64 nanoseconds.
fn duration_ms(d: &Drawdown) -> Decimal {
    Decimal::from(d.time_end.0.saturating_sub(d.time_start.0) / 1_000_000)
}

/// Max, mean and current drawdown of a whole series (an analytics helper on plain numbers); None
/// when the series overflows Decimal arithmetic (see `checked_update`).
pub fn drawdowns(series: impl IntoIterator<Item = (Timestamp, Decimal)>) -> Option<DrawdownGenerator> {
    let mut g = DrawdownGenerator::default();
    for (t, v) in series {
        g.checked_update(t, v)?;
    }
    g.checked_mean()?;
    Some(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    fn day(n: i64) -> Timestamp {
        Timestamp(n * 86_400_000_000_000)
    }

    // barter-model.md §10 drawdown generator vector.
    #[test]
    fn generator_vector() {
        let mut g = DrawdownGenerator::default();
        assert_eq!(g.update(day(0), d("100")), None);
        assert_eq!(g.update(day(1), d("110")), None);
        g.update(day(2), d("99"));
        assert_eq!(g.current().unwrap().value, Some(d("0.1")));
        g.update(day(3), d("88"));
        assert_eq!(g.current().unwrap().value, Some(d("0.2")));
        g.update(day(4), d("95"));
        assert_eq!(g.current().unwrap().value, Some(d("0.2")));
        let e = g.update(day(5), d("115")).unwrap();
        assert_eq!((e.value, e.time_start, e.time_end), (Some(d("0.2")), day(1), day(5)));
        assert_eq!(g.update(day(6), d("115")), None);
        g.update(day(7), d("114.99999"));
        assert_eq!(g.current().unwrap().value, Some(d("0.0000000869565217391304347826")));
        let e = g.update(day(8), d("200")).unwrap();
        assert_eq!(
            (e.value, e.time_start, e.time_end),
            (Some(d("0.0000000869565217391304347826")), day(6), day(8))
        );
    }

    #[test]
    fn asset_tear_sheet_vector() {
        // init 1.0@d0, 2.0@d1, 1.5@d2, 1.0@d3, 2.5@d4 (ends 0.5, d1→d4), 2.4@d5 (0.04), 2.4, 2.41, 3.0@d8.
        let mut g = DrawdownGenerator::default();
        for (t, v) in [
            (0, "1.0"),
            (1, "2.0"),
            (2, "1.5"),
            (3, "1.0"),
            (4, "2.5"),
            (5, "2.4"),
            (6, "2.4"),
            (7, "2.41"),
            (8, "3.0"),
        ] {
            g.update(day(t), d(v));
        }
        let mean = g.mean().unwrap();
        assert_eq!((mean.mean_drawdown, mean.count), (Some(d("0.27")), 2));
        assert_eq!(g.max().unwrap().value, Some(d("0.5")));
    }

    #[test]
    fn helper_on_a_series() {
        let g = drawdowns([(day(0), d("100")), (day(1), d("80")), (day(2), d("120")), (day(3), d("90"))])
            .unwrap();
        assert_eq!(g.max().unwrap().value, Some(d("0.25")));
        assert_eq!(g.mean().unwrap().mean_drawdown, Some(d("0.225")));
    }

    #[test]
    fn balance_path_with_current_drawdown() {
        // 10000@d0 → 9000@d1 → 12000@d2 → 8000@d4 → 11000@d5: current 0.3333…, mean 0.2166…, max 0.3333….
        let mut g = DrawdownGenerator::default();
        for (t, v) in [(0, "10000"), (1, "9000"), (2, "12000"), (4, "8000"), (5, "11000")] {
            g.update(day(t), d(v));
        }
        let third = d("4000") / d("12000");
        assert_eq!(g.current().unwrap().value, Some(third));
        assert_eq!(g.max().unwrap().value, Some(third));
        assert_eq!(g.mean().unwrap().mean_drawdown, Some((d("0.1") + third) / d("2")));
        // Three days per episode on average: (2 days + 3 days) / 2 = 2.5 days... d0→d2 and d2→d5.
        assert_eq!(g.mean().unwrap().mean_drawdown_ms, d("216000000"));
        // Calling twice does not double-count.
        assert_eq!(g.mean(), g.mean());
    }

    #[test]
    fn negative_values_still_record_drawdowns() {
        // A cumulative PnL series: 0 → −5 → −20 → 10. barter records nothing (peak 0); we record
        // the absolute depth 20 and leave the relative depth undefined.
        let mut g = DrawdownGenerator::default();
        for (t, v) in [(0, "0"), (1, "-5"), (2, "-20")] {
            g.update(day(t), d(v));
        }
        let e = g.update(day(3), d("10")).unwrap();
        assert_eq!((e.value, e.amount), (None, d("20")));
        // Equity that falls below zero from a positive peak: depth beyond 100%.
        let mut g = DrawdownGenerator::default();
        g.update(day(0), d("100"));
        g.update(day(1), d("-50"));
        assert_eq!(g.current().unwrap().value, Some(d("1.5")));
    }
}
