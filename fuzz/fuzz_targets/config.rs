//! Arbitrary bytes as a config: `Config::from_json_str` returns Ok or Err, never panics; a config
//! it accepts builds a simulation that starts and finishes without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidemark::backtest::Simulation;
use tidemark::config::Config;
use tidemark::time::Timestamp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(config) = Config::from_json_str(text) else { return };
    // Accepted: everything built from it must work (validation promised it).
    let start = Timestamp::from_millis(1_700_000_000_000);
    let _ = config.valuation_asset();
    let _ = config.benchmark();
    for i in 0..config.executions.len() {
        let _ = config.initial_orders(i);
    }
    if let Ok(sim) = Simulation::new(&config, start) {
        let _ = sim.finish(start, &mut |_| {});
    }
});
