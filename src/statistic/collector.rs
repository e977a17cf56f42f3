//! Collects what summaries need while an engine runs, from its audit ticks and state: closed
//! positions, asset balance drawdowns and the equity curve. Backtests and live systems use the
//! same collector, so both end in the same summary.

use super::equity::{EquityPoint, EquityRecorder};
use super::metric::drawdown::DrawdownGenerator;
use super::portfolio::{portfolio_stats, PortfolioStats};
use super::summary::SummaryInputs;
use super::trade::{trade_list, TradeRecord};
use crate::config::Config;
use crate::engine::{AuditTick, Output};
use crate::event::{AccountEventKind, DataKind, EngineEvent, StreamEvent};
use crate::instrument::{InstrumentIndex, Instruments};
use crate::state::{EngineState, PositionExited};
use crate::time::Timestamp;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// What a finished collection yields.
#[derive(Clone, Debug)]
pub struct Collected {
    /// Equity points.
    pub equity: Vec<EquityPoint>,
    /// Closed positions in order.
    pub positions_exited: Vec<PositionExited>,
    /// Trades, closed then open.
    pub trades: Vec<TradeRecord>,
    /// Portfolio statistics.
    pub portfolio: Option<PortfolioStats>,
    /// Summary inputs.
    pub summary_inputs: SummaryInputs,
}

/// The collector.
#[derive(Clone, Debug)]
pub struct SummaryCollector {
    time_start: Timestamp,
    recorder: EquityRecorder,
    exited: Vec<PositionExited>,
    asset_drawdowns: Vec<DrawdownGenerator>,
    valuation: String,
    benchmark: InstrumentIndex,
    warmup: usize,
    risk_free: Decimal,
    tag: String,
    /// The first point at which every held asset had a price.
    first_priced: Option<usize>,
}

impl SummaryCollector {
    /// For a config, starting at `time_start`.
    pub fn new(config: &Config, time_start: Timestamp) -> Self {
        SummaryCollector {
            time_start,
            recorder: EquityRecorder::new(config.engine.equity_sample_ms),
            exited: Vec::new(),
            asset_drawdowns: vec![DrawdownGenerator::default(); config.instruments.assets().len()],
            valuation: config.valuation_asset(),
            benchmark: config.benchmark(),
            warmup: config.strategy.warmup_bars(),
            risk_free: config.risk_free_return,
            tag: config.strategy.name().to_string(),
            first_priced: None,
        }
    }

    /// Observes one processed tick and the state after it. Cheap unless an equity point is due
    /// (market ticks only: every bar, or once per sampling window).
    pub fn observe(&mut self, tick: &AuditTick, state: &EngineState, instruments: &Instruments) {
        for o in &tick.outputs {
            if let Output::PositionExited(p) = o {
                self.exited.push(p.clone());
            }
        }
        match tick.event.as_ref() {
            EngineEvent::Market(StreamEvent::Item(e))
                if self.recorder.due(tick.time, matches!(e.kind, DataKind::Candle(_))) =>
            {
                self.record(tick.time, state, instruments);
            }
            EngineEvent::Account(StreamEvent::Item(a)) => {
                let mut note = |b: &crate::event::AssetBalance| {
                    if let Some(g) = self.asset_drawdowns.get_mut(b.asset.0) {
                        g.update(tick.time, b.balance.total);
                    }
                };
                match &a.kind {
                    AccountEventKind::BalanceSnapshot(b) => note(b),
                    AccountEventKind::Snapshot(s) => s.balances.iter().for_each(note),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn record(&mut self, time: Timestamp, state: &EngineState, instruments: &Instruments) {
        let (equity, complete) = state.valuation(instruments, &self.valuation);
        let equity = crate::decimal::to_f64(&equity);
        let benchmark = state
            .instruments
            .get(self.benchmark.0)
            .and_then(|s| s.market.mark())
            .map(|m| crate::decimal::to_f64(&m));
        self.recorder.record(EquityPoint { time, equity, benchmark });
        if complete && self.first_priced.is_none() {
            self.first_priced = Some(self.recorder.points().len() - 1);
        }
    }

    /// Names the strategy in the trade list's `tag` (default: the config's strategy name).
    pub fn set_tag(&mut self, tag: &str) {
        self.tag = tag.to_string();
    }

    /// Closed positions so far.
    pub fn positions_exited(&self) -> &[PositionExited] {
        &self.exited
    }

    /// Finishes: the last point reflects the final state; statistics are computed.
    pub fn finish(mut self, state: &EngineState, instruments: &Instruments) -> Collected {
        if let Some(last) = self.recorder.points().last().map(|p| p.time) {
            self.record(last, state, instruments);
        }
        let mut equity = self.recorder.into_points();
        // The curve starts once every held asset has a price: a starting equity that leaves out an
        // asset not priced yet would make its first price look like a return. (A run in which
        // some held asset never gets a price keeps every point.)
        equity.drain(..self.first_priced.unwrap_or(0));
        let trades = trade_list(&self.exited, state, instruments, &equity, &self.tag);
        let portfolio =
            portfolio_stats(&equity, &trades, self.warmup, self.risk_free.to_f64().unwrap_or(0.0));
        let summary_inputs = SummaryInputs {
            time_start: self.time_start,
            time_end: state.time,
            risk_free_return: self.risk_free,
            instruments: instruments.instruments().iter().map(|i| i.name_internal.clone()).collect(),
            open_pnl: state
                .instruments
                .iter()
                .map(|s| s.position.as_ref().map_or(Decimal::ZERO, |p| p.pnl_realised + p.pnl_unrealised))
                .collect(),
            assets: instruments
                .assets()
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    (
                        format!("{}_{}", a.exchange_id, a.name),
                        state.assets[i].balance,
                        self.asset_drawdowns[i].clone(),
                    )
                })
                .collect(),
            portfolio: portfolio.clone(),
        };
        Collected { equity, positions_exited: self.exited, trades, portfolio, summary_inputs }
    }
}
