//! Collects what summaries need while an engine runs, from its audit ticks and state: closed
//! positions, asset balance drawdowns and the equity curve. Backtests and live systems use the
//! same collector, so both end in the same summary.
//!
//! Memory per equity point is bounded: statistics accumulate as points arrive
//! ([`RunningStats`]), the exported curve is sampled as they arrive ([`CurveSampler`]), and trades'
//! entry and exit points are resolved as they happen ([`BarResolver`]); the series itself is kept
//! only up to `equity::KEEP_POINTS` (for `BacktestReport::equity`). Each point reaches the
//! accumulators once it is final (the next point has another time, or the run ended), and only
//! from the first point at which every held asset had a price (a run in which some asset never
//! gets one uses every point: those are then held until the end).
use super::bars::BarResolver;
use super::equity::{
    CurveSampler, EquityCurvePoint, EquityPoint, EquityRecorder, EquitySeries, CURVE_POINTS,
};
use super::exact_equity::ExactEquity;
use super::metric::drawdown::DrawdownGenerator;
use super::portfolio::{stats_from, PortfolioStats};
use super::ranked::RankedStats;
use super::running::{RunningStats, TimeTail};
use super::summary::SummaryInputs;
use super::trade::{trade_list, ExitPrices, TradeBars, TradeRecord};
use crate::config::Config;
use crate::engine::{AuditTick, Output};
use crate::event::{AccountEventKind, DataKind, EngineEvent, MarketEvent, StreamEvent};
use crate::instrument::{InstrumentIndex, Instruments};
use crate::order::ExitKind;
use crate::state::{EngineState, PositionExited, Valuation};
use crate::time::Timestamp;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// What a finished collection yields.
#[derive(Clone, Debug)]
pub struct Collected {
    /// Equity points (empty when the run had more than `equity::KEEP_POINTS`).
    pub equity: EquitySeries,
    /// The exported curve sampled during the run, when the series was not kept.
    pub curve: Option<Vec<EquityCurvePoint>>,
    /// Closed positions in order.
    pub positions_exited: Vec<PositionExited>,
    /// Trades, closed then open.
    pub trades: Vec<TradeRecord>,
    /// Portfolio statistics (None when only the ranked ones were collected).
    pub portfolio: Option<PortfolioStats>,
    /// The statistics that need no equity curve, when only those were collected.
    pub ranked: Option<RankedStats>,
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
    valuation: Valuation,
    benchmark: InstrumentIndex,
    risk_free: Decimal,
    tag: String,
    /// The first point at which every held asset had a price.
    first_priced: Option<usize>,
    /// The series was dropped: final points are fed as they come.
    live: bool,
    /// The last point (and its exact equity), not final yet (a point at the same time replaces it).
    pending: Option<Pending>,
    /// Final and peak equity as Decimals (the report's money fields).
    exact: ExactEquity,
    /// Final points before the first priced one (used only if none ever is).
    unpriced: Vec<EquityPoint>,
    stats: RunningStats,
    curve: CurveSampler,
    bars: BarResolver,
    /// Entry and exit slots (in `bars`) of each closed position.
    exited_bars: Vec<(usize, usize)>,
    /// Per instrument: the open position's entry time and slot.
    open_entries: Vec<Option<(Timestamp, usize)>>,
    /// Per instrument: the exits the open position's entry placed (bracket prices).
    open_exits: Vec<ExitPrices>,
    /// The exits of each closed position, parallel to `exited`.
    exited_exits: Vec<ExitPrices>,
    /// Only the ranked statistics are collected: what they need of the points, which are valued
    /// only until the first the statistics take is final, and at the end.
    ranked: Option<Box<RankedEnds>>,
}

/// A point not final yet, its index and its exact equity.
type Pending = (EquityPoint, usize, Decimal);

/// What the ranked statistics need of the equity points: the first and last the full statistics
/// would take and the last 100 times (of those points, or of every point while none is priced).
#[derive(Clone, Debug, Default)]
struct RankedEnds {
    first: Option<EquityPoint>,
    tail: TimeTail,
    /// The last point whose time `tail` took (a point is noted when it comes and committed when
    /// final: its time is taken once).
    noted: Option<usize>,
    /// The first point and the times while no point is priced (used only if none ever is).
    unpriced: Option<(EquityPoint, TimeTail)>,
    /// The last final point and its exact equity.
    last: Option<(EquityPoint, Decimal)>,
}

impl RankedEnds {
    fn commit(&mut self, p: EquityPoint, index: usize, exact: Decimal, first_priced: Option<usize>) {
        match first_priced {
            Some(f) if index >= f => {
                if index == f {
                    self.first = Some(p);
                }
                self.note(index, p.time);
            }
            Some(_) => {}
            None => self.unpriced.get_or_insert_with(|| (p, TimeTail::default())).1.push(p.time),
        }
        self.last = Some((p, exact));
    }

    /// Point `index` (at `time`) is one the statistics take.
    #[inline]
    fn note(&mut self, index: usize, time: Timestamp) {
        if self.noted.is_none_or(|n| index > n) {
            self.tail.push(time);
            self.noted = Some(index);
        }
    }

    /// `SummaryCollector::record_time` (the collector's fields it reads). Always inlined: it is
    /// the body of `observe_market_times`' loop, and out of line its saves and restores were
    /// half of it.
    #[inline(always)]
    fn record_time(&mut self, recorder: &mut EquityRecorder, pending: &mut Option<Pending>, time: Timestamp) {
        // The point before, valued while the first was not final yet, is final or replaced.
        if let Some((p, k, _)) = pending.take() {
            self.note(k, p.time);
        }
        let index = recorder
            .count_point(time)
            .unwrap_or_else(|| recorder.record(EquityPoint { time, equity: f64::NAN, benchmark: None }).0);
        self.note(index, time);
    }

    /// Whether the next point must be valued: until the first the statistics take is final.
    fn values_points(&self) -> bool {
        self.first.is_none()
    }

    fn stats(&self, priced: bool, trades: &[TradeRecord]) -> Option<RankedStats> {
        let (last, exact) = self.last?;
        let (first, tail) = if priced {
            (self.first?, &self.tail)
        } else {
            let (first, tail) = self.unpriced.as_ref()?;
            (*first, tail)
        };
        Some(RankedStats::from_ends(&first, &last, &tail.times(), trades, exact))
    }
}

impl SummaryCollector {
    /// For a config, starting at `time_start`.
    pub fn new(config: &Config, time_start: Timestamp) -> Self {
        SummaryCollector {
            time_start,
            recorder: EquityRecorder::new(config.engine.equity_sample_ms),
            exited: Vec::new(),
            asset_drawdowns: vec![DrawdownGenerator::default(); config.instruments.assets().len()],
            valuation: Valuation::new(&config.instruments, &config.valuation_asset()),
            benchmark: config.benchmark(),
            risk_free: config.risk_free_return,
            tag: config.strategy.name().to_string(),
            first_priced: None,
            live: false,
            pending: None,
            exact: ExactEquity::default(),
            unpriced: Vec::new(),
            stats: RunningStats::new(config.strategy.warmup_bars()),
            curve: CurveSampler::new(CURVE_POINTS),
            bars: BarResolver::default(),
            exited_bars: Vec::new(),
            open_entries: vec![None; config.instruments.instruments().len()],
            open_exits: vec![ExitPrices::default(); config.instruments.instruments().len()],
            exited_exits: Vec::new(),
            ranked: None,
        }
    }

    /// Collects only the statistics that need no equity curve (`Collected::ranked`, no
    /// `portfolio`): the points are no longer valued once the first one is final, except the last,
    /// nor kept or placed, so the collection has no equity series and no trade list (the trades'
    /// bars would be unknown; their statistics are in `ranked`).
    pub fn ranked_only(&mut self) {
        self.ranked = Some(Box::default());
        self.recorder.set_keep(0);
    }

    /// Observes one processed tick and the state after it. Cheap unless an equity point is due
    /// (market ticks only: every bar, or once per sampling window).
    pub fn observe(&mut self, tick: &AuditTick, state: &EngineState) {
        if self.ranked.is_some() {
            return self.observe_ranked(tick, state);
        }
        for o in &tick.outputs {
            if let Output::PositionExited(p) = o {
                let series = self.recorder.points();
                let entry = match self.open_entries.get(p.instrument.0).copied().flatten() {
                    Some((t, slot)) if t == p.time_enter => slot,
                    _ => self.bars.request(p.time_enter, series),
                };
                let exit = self.bars.request(p.time_exit, series);
                self.exited_bars.push((entry, exit));
                if let Some(e) = self.open_entries.get_mut(p.instrument.0) {
                    *e = None;
                }
                let exits = self.open_exits.get_mut(p.instrument.0).map(std::mem::take);
                self.exited_exits.push(exits.unwrap_or_default());
                self.exited.push(p.clone());
            }
        }
        if !matches!(tick.event.as_ref(), EngineEvent::Market(_)) {
            // Positions open on fills: note each new one's entry point.
            for (i, s) in state.instruments.iter().enumerate() {
                let enter = s.position.as_ref().map(|p| p.time_enter);
                let Some(slot) = self.open_entries.get_mut(i) else { continue };
                match (enter, *slot) {
                    (None, _) => *slot = None,
                    (Some(t), Some((known, _))) if known == t => {}
                    (Some(t), _) => *slot = Some((t, self.bars.request(t, self.recorder.points()))),
                }
            }
        }
        match tick.event.as_ref() {
            // `observe_market`'s unranked case (`observe_ranked` takes the other), written out:
            // with the call here the bench's wasm SMA row gave 7.46-7.78 M events/s against
            // 7.74-7.88 M before; written out, 7.66 M against 7.68 M in an interleaved A/B.
            EngineEvent::Market(StreamEvent::Item(e))
                if self.recorder.due(tick.time, matches!(e.kind, DataKind::Candle(_))) =>
            {
                self.record(tick.time, state);
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
                    // A bracket's exits are placed once its entry fills: their prices are the
                    // position's SL / TP (the first placement's; a later partial fill grows them).
                    AccountEventKind::OrderSnapshot(o) => {
                        let i = o.key.instrument.0;
                        let open = state.instruments.get(i).is_some_and(|s| s.position.is_some());
                        if let (Some(x), Some(e), true) = (&o.exit_of, self.open_exits.get_mut(i), open) {
                            let slot = match x.exit {
                                ExitKind::StopLoss => Some(&mut e.stop_loss),
                                ExitKind::TakeProfit => Some(&mut e.take_profit),
                                ExitKind::TrailingStop => None,
                            };
                            if let Some(slot) = slot {
                                slot.get_or_insert(o.price);
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// `observe` when only the ranked statistics are collected: the closed positions (their
    /// trades' statistics) and the points, nothing of what places trades on the curve (their
    /// bars, their brackets' prices) or of the balances' drawdowns (the summary's).
    fn observe_ranked(&mut self, tick: &AuditTick, state: &EngineState) {
        for o in &tick.outputs {
            if let Output::PositionExited(p) = o {
                self.exited.push(p.clone());
                self.exited_bars.push((0, 0));
                self.exited_exits.push(ExitPrices::default());
            }
        }
        if let EngineEvent::Market(StreamEvent::Item(e)) = tick.event.as_ref() {
            self.observe_market(tick.time, e, state);
        }
    }

    /// Observes a market item's tick that had no outputs, at engine time `time` (all `observe`
    /// does of one): the equity point, if one is due. A coasting run has no tick and calls this
    /// alone (`Simulation::coast_through`).
    #[inline]
    pub fn observe_market(&mut self, time: Timestamp, e: &MarketEvent, state: &EngineState) {
        if !self.recorder.due(time, matches!(e.kind, DataKind::Candle(_))) {
            return;
        }
        if self.counts_times_only() {
            self.record_time(time)
        } else {
            self.record(time, state)
        }
    }

    /// Whether a market tick's point needs nothing but its time (`observe_market` of it reads
    /// no state): only the ranked statistics are collected, and their first point is final.
    pub fn counts_times_only(&self) -> bool {
        self.ranked.as_ref().is_some_and(|r| !r.values_points())
    }

    /// `observe_market` of each market item of a stretch that had no outputs, the engine's
    /// clock at `time` before it; only while `counts_times_only` (the state after each is not
    /// at hand).
    pub fn observe_market_times(&mut self, events: &[EngineEvent], mut time: Timestamp) {
        debug_assert!(self.counts_times_only());
        // `record_time` of each due point, with the fields borrowed once for the stretch.
        let (Some(r), recorder, pending) =
            (self.ranked.as_deref_mut(), &mut self.recorder, &mut self.pending)
        else {
            return;
        };
        for e in events {
            let EngineEvent::Market(StreamEvent::Item(m)) = e else { continue };
            time = time.max(m.time_exchange);
            if recorder.due(time, matches!(m.kind, DataKind::Candle(_))) {
                r.record_time(recorder, pending, time);
            }
        }
    }

    fn record(&mut self, time: Timestamp, state: &EngineState) {
        let (exact, complete) = state.value(&self.valuation);
        let equity = crate::decimal::to_f64(&exact);
        let benchmark = state
            .instruments
            .get(self.benchmark.0)
            .and_then(|s| s.market.mark())
            .map(|m| crate::decimal::to_f64(&m));
        let point = EquityPoint { time, equity, benchmark };
        let new = self.recorder.is_new(time);
        if new {
            let dropping = !self.live && self.recorder.drops_on_next();
            if let Some((p, k, x)) = self.pending.take() {
                self.commit(p, k, x);
            }
            if dropping {
                // The series goes: what it held reaches the accumulators now, later points as
                // they become final.
                if let Some(series) = self.recorder.take_points() {
                    series.iter().enumerate().for_each(|(i, q)| self.feed(q, i));
                }
                self.live = true;
            }
        }
        let (index, _) = self.recorder.record(point);
        if new {
            self.bars.on_point(time, index);
        }
        self.pending = Some((point, index, exact));
        if complete && self.first_priced.is_none() {
            self.first_priced = Some(index);
            self.unpriced = Vec::new();
        }
    }

    /// A point past the first the ranked statistics take: they read only its time until the
    /// last, which `finish` values. Counted, never valued, kept or placed (`ranked_only`).
    fn record_time(&mut self, time: Timestamp) {
        if let Some(r) = self.ranked.as_deref_mut() {
            r.record_time(&mut self.recorder, &mut self.pending, time);
        }
    }

    /// A point `index` is final. While the series is kept it is read from there at the end (a
    /// run under the bound does no per-point work here); after, it is fed at once.
    fn commit(&mut self, p: EquityPoint, index: usize, exact: Decimal) {
        if let Some(r) = self.ranked.as_mut() {
            return r.commit(p, index, exact, self.first_priced);
        }
        self.exact.commit(index, exact, p.equity, self.first_priced);
        if self.live {
            self.feed(p, index);
        }
    }

    /// Feeds a final point to the statistics and the sampled curve, from the first priced point on.
    fn feed(&mut self, p: EquityPoint, index: usize) {
        match self.first_priced {
            Some(f) if index >= f => {
                self.stats.push(p);
                self.curve.push(p);
            }
            Some(_) => {}
            None => self.unpriced.push(p),
        }
    }

    /// Keeps the equity series while at most `keep` points long (default `equity::KEEP_POINTS`).
    pub fn keep_points(&mut self, keep: usize) {
        self.recorder.set_keep(keep);
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
        if let Some(last) = self.recorder.last_time() {
            self.record(last, state);
        }
        if let Some((p, k, x)) = self.pending.take() {
            self.commit(p, k, x);
        }
        if let (false, Some(series), None) = (self.live, self.recorder.points(), &self.ranked) {
            // The kept series, read once (its exported curve comes from it, not from a sampler).
            let from = self.first_priced.unwrap_or(0);
            self.stats.reserve(series.len().saturating_sub(from));
            series.iter().skip(from).for_each(|q| self.stats.push(q));
        }
        // The curve starts once every held asset has a price: a starting equity that leaves out an
        // asset not priced yet would make its first price look like a return. (A run in which
        // some held asset never gets a price keeps every point.)
        let offset = self.first_priced.unwrap_or(0);
        if self.first_priced.is_none() {
            for p in std::mem::take(&mut self.unpriced) {
                self.stats.push(p);
                self.curve.push(p);
            }
        }
        let count = self.recorder.count();
        let points = count - offset.min(count);
        let series = self.recorder.points();
        let (bars, resolver) = (&self.exited_bars, &self.bars);
        let at = |slot: usize| resolver.index(slot, count).saturating_sub(offset);
        let closed: Vec<(usize, usize)> = bars.iter().map(|&(e, x)| (at(e), at(x))).collect();
        let open_entries = &self.open_entries;
        let open_entry = |i: usize, t: Timestamp| match open_entries.get(i).copied().flatten() {
            Some((known, slot)) if known == t => at(slot),
            _ => series.map_or(0, |s| s.index_at(t).saturating_sub(offset)),
        };
        let last_time = (points > 0).then(|| self.recorder.last_time()).flatten();
        let exits = (self.exited_exits.as_slice(), self.open_exits.as_slice());
        let trade_bars = TradeBars { closed: &closed, open_entry: &open_entry, points, last_time, exits };
        let mut trades = trade_list(&self.exited, state, instruments, &trade_bars, &self.tag);
        let (portfolio, ranked) = match &self.ranked {
            // The trades' statistics, then not the trades: their bars were not placed.
            Some(r) => (None, r.stats(self.first_priced.is_some(), &std::mem::take(&mut trades))),
            None => {
                let money = self.exact.last().zip(self.exact.peak(self.first_priced.is_some()));
                let portfolio = money.and_then(|(last, peak)| {
                    stats_from(&self.stats, &trades, self.risk_free.to_f64().unwrap_or(0.0), last, peak)
                });
                (portfolio, None)
            }
        };
        let (equity, curve) = match self.recorder.into_points() {
            Some(mut equity) => {
                equity.drop_front(offset);
                (equity, None)
            }
            None => (EquitySeries::default(), Some(self.curve.finish())),
        };
        let summary_inputs = SummaryInputs {
            time_start: self.time_start,
            time_end: state.time,
            risk_free_return: self.risk_free,
            instruments: instruments.instruments().iter().map(|i| i.name_internal.clone()).collect(),
            open_pnl: state
                .instruments
                .iter()
                .map(|s| s.position.as_ref().map_or(Decimal::ZERO, |p| p.pnl_realised + p.pnl_unrealised()))
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
        Collected { equity, curve, positions_exited: self.exited, trades, portfolio, ranked, summary_inputs }
    }
}
