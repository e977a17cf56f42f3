//! Backtests over data that arrives in chunks: [`StreamRun`] decodes each chunk
//! ([`PushDecoder`]) straight into the running [`Simulation`], so no text and no event vector of
//! the whole input exists. The report equals [`super::run`]'s over the whole text, whatever the
//! chunking (tests below).

use super::{with_event_index, BacktestReport, Simulation};
use crate::config::Config;
use crate::engine::AuditTick;
use crate::error::EngineError;
use crate::event::{EngineEvent, MarketEvent, StreamEvent};
use crate::loader::PushDecoder;
use crate::time::Timestamp;

/// Builds the simulation once the clock's start (the first market item's time) is known.
pub type MakeSimulation<'a> = dyn FnMut(Timestamp) -> Result<Simulation, EngineError> + 'a;

/// Feeds market items to a simulation that starts at the first item's time (leading reconnects
/// wait for it, as in [`super::run`]), numbering them for errors (`events[n]`).
#[derive(Default)]
pub struct Feeder {
    sim: Option<Simulation>,
    /// Items before the first market item (reconnects), fed once the clock can start.
    waiting: Vec<StreamEvent<MarketEvent>>,
    fed: usize,
}

impl Feeder {
    /// Items fed to the simulation so far.
    pub fn fed(&self) -> usize {
        self.fed
    }

    /// The simulation, once started.
    pub fn simulation(&self) -> Option<&Simulation> {
        self.sim.as_ref()
    }

    /// Feeds one item (the simulation is made at the first market item).
    pub fn feed(
        &mut self,
        item: StreamEvent<MarketEvent>,
        make: &mut MakeSimulation,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<(), EngineError> {
        if self.sim.is_none() {
            let StreamEvent::Item(e) = &item else {
                self.waiting.push(item);
                return Ok(());
            };
            self.start(e.time_exchange, make, sink)?;
        }
        let Some(sim) = self.sim.as_mut() else {
            return Err(EngineError::internal("a started feeder has no simulation"));
        };
        sim.feed_event(&EngineEvent::Market(item), sink).map_err(|e| with_event_index(e, self.fed))?;
        self.fed += 1;
        Ok(())
    }

    fn start(
        &mut self,
        time: Timestamp,
        make: &mut MakeSimulation,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<(), EngineError> {
        let sim = self.sim.insert(make(time)?);
        for item in std::mem::take(&mut self.waiting) {
            sim.feed(item, sink).map_err(|e| with_event_index(e, self.fed))?;
            self.fed += 1;
        }
        Ok(())
    }

    /// Ends the run (a stream of reconnects alone starts the clock at 0, as `run`).
    pub fn finish(
        mut self,
        make: &mut MakeSimulation,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<BacktestReport, EngineError> {
        if self.sim.is_none() {
            self.start(Timestamp::default(), make, sink)?;
        }
        let Some(sim) = self.sim else {
            return Err(EngineError::internal("a started feeder has no simulation"));
        };
        let start = sim.engine().state().time_start;
        sim.finish(start, sink)
    }
}

/// A backtest of the config's strategy over pushed chunks: `push` as data arrives, then `finish`.
pub struct StreamRun {
    config: Config,
    decoder: PushDecoder,
    feeder: Feeder,
}

impl StreamRun {
    /// A run of `config` decoding with `decoder`.
    pub fn new(config: Config, decoder: PushDecoder) -> Self {
        StreamRun { config, decoder, feeder: Feeder::default() }
    }

    /// Decodes a chunk and runs every event it completes.
    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn FnMut(&AuditTick)) -> Result<(), EngineError> {
        let (config, feeder) = (&self.config, &mut self.feeder);
        let mut make = |t| Simulation::new(config, t);
        self.decoder.push(chunk, &mut |item| feeder.feed(item, &mut make, sink))
    }

    /// Ends the data and the run.
    pub fn finish(mut self, sink: &mut dyn FnMut(&AuditTick)) -> Result<BacktestReport, EngineError> {
        let (config, feeder) = (&self.config, &mut self.feeder);
        let mut make = |t| Simulation::new(config, t);
        self.decoder.finish(&mut |item| feeder.feed(item, &mut make, sink))?;
        self.feeder.finish(&mut |t| Simulation::new(&self.config, t), sink)
    }

    /// Runs a whole reader through, `chunk` bytes at a time (the native CLI path for a file).
    pub fn read_all(
        mut self,
        mut reader: impl std::io::Read,
        chunk: usize,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<BacktestReport, EngineError> {
        let mut buf = vec![0u8; chunk.max(1)];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(EngineError::argument("data", format!("reading failed: {e}"))),
            };
            self.push(&buf[..n], sink)?;
        }
        self.finish(sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{load_text, CsvTarget, LoadOptions};

    fn config() -> Config {
        let root = env!("CARGO_MANIFEST_DIR");
        let text = std::fs::read_to_string(format!("{root}/data/sp500_sma_cross.json")).unwrap();
        Config::from_json_str(&text).unwrap()
    }

    fn target(c: &Config) -> CsvTarget {
        CsvTarget {
            instrument: crate::instrument::InstrumentIndex(0),
            exchange: c.instruments.instruments()[0].exchange_id,
        }
    }

    fn report_json(r: &BacktestReport, c: &Config) -> String {
        serde_json::to_string(&r.to_json(c.engine.summary_interval.clone())).unwrap()
    }

    #[test]
    fn any_chunking_gives_the_whole_text_report() {
        let c = config();
        let root = env!("CARGO_MANIFEST_DIR");
        let text = std::fs::read_to_string(format!("{root}/data/ohlcv/sp500.csv")).unwrap();
        let events = load_text(&text, target(&c), &LoadOptions::default()).unwrap();
        let expected =
            report_json(&crate::backtest::run(&c, events.into_iter().map(Ok), &mut |_| {}).unwrap(), &c);
        for chunk in [1, 7, 4096, text.len()] {
            let run = StreamRun::new(c.clone(), PushDecoder::new(None, target(&c), LoadOptions::default()));
            let r = run.read_all(text.as_bytes(), chunk, &mut |_| {}).unwrap();
            assert_eq!(report_json(&r, &c), expected, "chunks of {chunk}");
        }
    }

    /// Runs `text` through a simulation keeping at most `keep` points of series.
    fn run_keeping(c: &Config, text: &str, keep: usize) -> BacktestReport {
        let mut feeder = Feeder::default();
        let mut make = |t| {
            let mut s = Simulation::new(c, t)?;
            s.keep_equity_points(keep);
            Ok(s)
        };
        let mut d = PushDecoder::new(None, target(c), LoadOptions::default());
        d.push(text.as_bytes(), &mut |item| feeder.feed(item, &mut make, &mut |_| {})).unwrap();
        d.finish(&mut |item| feeder.feed(item, &mut make, &mut |_| {})).unwrap();
        feeder.finish(&mut make, &mut |_| {}).unwrap()
    }

    #[test]
    fn the_report_does_not_need_the_series() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut c = config();
        for (file, fast, slow) in [("sp500", 10, 20), ("nasdaq", 5, 30)] {
            let strategy = serde_json::json!({"type": "sma_cross", "fast": fast, "slow": slow});
            c.strategy = crate::strategy::StrategyConfig::from_value(&strategy).unwrap();
            let text = std::fs::read_to_string(format!("{root}/data/ohlcv/{file}.csv")).unwrap();
            let kept = run_keeping(&c, &text, usize::MAX);
            assert!(kept.equity.len() > 1000 && kept.sampled_curve.is_none());
            // Dropped from the start, and mid-run (what it held is caught up at once).
            for keep in [0, 1, 1000] {
                let dropped = run_keeping(&c, &text, keep);
                assert!(dropped.equity.is_empty() && dropped.sampled_curve.is_some());
                assert_eq!(report_json(&dropped, &c), report_json(&kept, &c), "{file} keeping {keep}");
            }
        }
    }

    #[test]
    fn trades_and_quotes_with_latency_without_the_series() {
        let root = env!("CARGO_MANIFEST_DIR");
        let text = std::fs::read_to_string(format!("{root}/data/barter/system_config.json")).unwrap();
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        // Fills reported after a latency: entry and exit points are found in the recent past.
        value["executions"][0]["latency_ms"] = serde_json::json!(1500);
        value["engine"] = serde_json::json!({"equity_sample_ms": 200});
        value["strategy"] = serde_json::json!({"type": "sma_cross", "fast": 3, "slow": 8});
        let c = Config::from_value(value).unwrap();
        // Trades 70 ms apart on a wave: several trades per sampling window, fills 1.5 s late.
        let mut data = String::from("time,price,amount\n");
        for i in 0..4000 {
            let price = 100.0 + 5.0 * (i as f64 / 40.0).sin();
            data.push_str(&format!("{},{price:.2},0.5\n", 1_700_000_000_000i64 + i * 70));
        }
        let kept = run_keeping(&c, &data, usize::MAX);
        assert!(!kept.trades.is_empty() && kept.equity.len() > 3);
        for keep in [0, 2] {
            assert_eq!(
                report_json(&run_keeping(&c, &data, keep), &c),
                report_json(&kept, &c),
                "keeping {keep}"
            );
        }
    }

    #[test]
    fn a_bad_row_mid_stream_names_its_line() {
        let c = config();
        let text = "Date,Open,High,Low,Close\n2020-01-01,1,2,0.5,1.5\n2020-01-02,1,2,0.5,1.5\n2020-01-03,1,y,0.5,1.5\n";
        let run = StreamRun::new(c.clone(), PushDecoder::new(None, target(&c), LoadOptions::default()));
        let e = run.read_all(text.as_bytes(), 5, &mut |_| {}).unwrap_err();
        assert_eq!(
            e.to_string(),
            "DECODE: ohlcv-csv line 4 column 3 (High): expected a decimal number, got \"y\""
        );
    }
}
