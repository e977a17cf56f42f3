//! Virtual time: a queue of deliveries ordered by (time, insertion sequence), so equal times keep
//! the order they were scheduled in and replays are deterministic.

use crate::event::AccountEvent;
use crate::instrument::ExchangeIndex;
use crate::order::ExecutionRequest;
use crate::time::Timestamp;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Something travelling between the engine and an exchange.
#[derive(Clone, Debug)]
pub enum Delivery {
    /// A request arriving at an exchange.
    ToExchange(ExchangeIndex, ExecutionRequest),
    /// A response arriving at the engine.
    ToEngine(AccountEvent),
}

#[derive(Debug)]
struct Entry {
    time: Timestamp,
    seq: u64,
    delivery: Delivery,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        (self.time, self.seq) == (o.time, o.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.time, self.seq).cmp(&(o.time, o.seq))
    }
}

/// The delivery queue.
#[derive(Debug, Default)]
pub struct Scheduler {
    heap: BinaryHeap<Reverse<Entry>>,
    seq: u64,
}

impl Scheduler {
    /// Schedules a delivery at `time`.
    pub fn push(&mut self, time: Timestamp, delivery: Delivery) {
        self.heap.push(Reverse(Entry { time, seq: self.seq, delivery }));
        self.seq += 1;
    }

    /// True when a delivery is due at or before `until` (any, when `until` is None). Inlined:
    /// with orders in flight the queue is rarely empty, and this runs several times per event.
    #[inline]
    pub fn has_due(&self, until: Option<Timestamp>) -> bool {
        self.heap.peek().is_some_and(|Reverse(e)| until.is_none_or(|u| e.time <= u))
    }

    /// Takes the next delivery due at or before `until` (all of them when `until` is None).
    pub fn pop_due(&mut self, until: Option<Timestamp>) -> Option<(Timestamp, Delivery)> {
        if !self.has_due(until) {
            return None;
        }
        self.heap.pop().map(|Reverse(e)| (e.time, e.delivery))
    }

    /// Deliveries waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
