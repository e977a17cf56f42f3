//! Rebuilds engine state from an audit trail, with the same state functions the engine uses.

use super::audit::{AuditSnapshot, AuditTick};
use crate::error::EngineError;
use crate::instrument::Instruments;
use crate::state::EngineState;

/// A copy of the engine state kept up to date from audit ticks.
#[derive(Clone, Debug)]
pub struct Replica {
    instruments: Instruments,
    sequence: u64,
    state: EngineState,
}

impl Replica {
    /// Starts from a snapshot.
    pub fn new(instruments: Instruments, snapshot: AuditSnapshot) -> Self {
        Replica { instruments, sequence: snapshot.sequence, state: snapshot.state }
    }

    /// Applies the next tick. Ticks already applied are skipped; a gap is an error.
    pub fn apply(&mut self, tick: &AuditTick) -> Result<(), EngineError> {
        if tick.sequence <= self.sequence {
            return Ok(());
        }
        if tick.sequence != self.sequence + 1 {
            return Err(EngineError::argument(
                "sequence",
                format!("audit gap: expected tick {} but got {}", self.sequence + 1, tick.sequence),
            ));
        }
        let mut implied = Vec::new();
        self.state.apply_input(&tick.event, &self.instruments, &mut implied);
        for o in &tick.outputs {
            o.apply(&mut self.state);
        }
        self.state.advance_time(tick.time);
        self.sequence = tick.sequence;
        Ok(())
    }

    /// The rebuilt state.
    pub fn state(&self) -> &EngineState {
        &self.state
    }

    /// Last applied sequence.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }
}
