//! Trade-based metrics: win rate, profit factor, SQN, Kelly criterion, with their correct
//! definitions (barter's tear sheet reports the loss rate as the win rate, and divides net by
//! losses for the profit factor).

use rust_decimal::Decimal;

/// wins / total; None with no trades.
pub fn win_rate(wins: u64, total: u64) -> Option<Decimal> {
    (total > 0).then(|| Decimal::from(wins) / Decimal::from(total))
}

/// A ratio that can be infinite (a profit factor with no losing trade).
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub enum Ratio {
    /// A finite value.
    Finite(Decimal),
    /// +∞ (e.g. profits and no losses).
    Infinite,
}

/// Σ gains / |Σ losses|. None when there are neither, or the ratio overflows Decimal; `Infinite`
/// with gains and no losses.
pub fn profit_factor(gross_profit: Decimal, gross_loss: Decimal) -> Option<Ratio> {
    let (p, l) = (gross_profit.abs(), gross_loss.abs());
    match (p.is_zero(), l.is_zero()) {
        (true, true) => None,
        (false, true) => Some(Ratio::Infinite),
        _ => p.checked_div(l).map(Ratio::Finite),
    }
}

/// Van Tharp's system quality number √n · mean(PnL) / std(PnL, sample). None for n < 2 or σ = 0.
pub fn sqn(pnls: &[f64]) -> Option<f64> {
    let n = pnls.len();
    if n < 2 {
        return None;
    }
    let mean = pnls.iter().sum::<f64>() / n as f64;
    let var = pnls.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    (sd > 0.0).then(|| (n as f64).sqrt() * mean / sd)
}

/// Kelly criterion W − (1 − W) / (mean win / mean loss), with W the win rate. None without both
/// wins and losses.
pub fn kelly(pnls: &[f64]) -> Option<f64> {
    let wins: Vec<f64> = pnls.iter().copied().filter(|p| *p > 0.0).collect();
    let losses: Vec<f64> = pnls.iter().copied().filter(|p| *p < 0.0).collect();
    if wins.is_empty() || losses.is_empty() {
        return None;
    }
    let w = wins.len() as f64 / pnls.len() as f64;
    let avg_win = wins.iter().sum::<f64>() / wins.len() as f64;
    let avg_loss = -losses.iter().sum::<f64>() / losses.len() as f64;
    Some(w - (1.0 - w) / (avg_win / avg_loss))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    #[test]
    fn win_rate_vectors() {
        assert_eq!(win_rate(0, 0), None);
        assert_eq!(win_rate(10, 10), Some(d("1")));
        assert_eq!(win_rate(0, 10), Some(d("0")));
        assert_eq!(win_rate(6, 10), Some(d("0.6")));
    }

    #[test]
    fn profit_factor_vectors() {
        // barter's calculate() vectors where it is right.
        assert_eq!(profit_factor(d("1e-20"), d("1e-20")), Some(Ratio::Finite(d("1"))));
        assert_eq!(profit_factor(d("0"), d("0")), None);
        assert_eq!(profit_factor(d("10"), d("5")), Some(Ratio::Finite(d("2"))));
        assert_eq!(profit_factor(d("10"), d("-5")), Some(Ratio::Finite(d("2"))));
        assert_eq!(
            profit_factor(d("10.5555"), d("5.2345")),
            Some(Ratio::Finite(d("2.016524978507975928933040405")))
        );
        // Deliberate differences: no losses is +∞ (barter: Decimal::MAX); no profits is 0 (barter: MIN).
        assert_eq!(profit_factor(d("1"), d("0")), Some(Ratio::Infinite));
        assert_eq!(profit_factor(d("0"), d("1")), Some(Ratio::Finite(d("0"))));
        assert_eq!(profit_factor(d("7e28"), d("1e-28")), None);
    }

    #[test]
    fn sqn_and_kelly_by_hand() {
        // PnL 10, −5, 20: mean 25/3, sample sd √(358.33/... ) → sd = 12.583; SQN = √3·8.333/12.583 = 1.1471.
        let s = sqn(&[10.0, -5.0, 20.0]).unwrap();
        assert!((s - 1.147078669).abs() < 1e-8, "{s}");
        // W = 2/3, avg win 15, avg loss 5: 2/3 − (1/3)/3 = 0.5556.
        let k = kelly(&[10.0, -5.0, 20.0]).unwrap();
        assert!((k - 5.0 / 9.0).abs() < 1e-12);
        assert_eq!(sqn(&[1.0]), None);
        assert_eq!(kelly(&[1.0, 2.0]), None);
    }
}
