//! Virtual time: a queue of deliveries ordered by (time, insertion sequence), so equal times keep
//! the order they were scheduled in and replays are deterministic.

use crate::event::AccountEvent;
use crate::instrument::ExchangeIndex;
use crate::order::ExecutionRequest;
use crate::time::Timestamp;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};

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

/// The delivery queue. Deliveries are large (an order event is a few hundred bytes), and a binary
/// heap moves each one several times on its way through; with one latency per direction almost
/// every delivery is scheduled no earlier than the one before it, so those wait in a FIFO lane
/// (one move in, one out) and only the rest go to the heap. The next delivery is the lesser of
/// the two fronts by (time, sequence): the same order as one heap.
#[derive(Debug, Default)]
pub struct Scheduler {
    /// In (time, sequence) order: each push here is no earlier than the lane's last.
    lane: VecDeque<Entry>,
    heap: BinaryHeap<Reverse<Entry>>,
    seq: u64,
}

impl Scheduler {
    /// Schedules a delivery at `time`.
    pub fn push(&mut self, time: Timestamp, delivery: Delivery) {
        let entry = Entry { time, seq: self.seq, delivery };
        self.seq += 1;
        if self.lane.back().is_none_or(|last| last.time <= time) {
            self.lane.push_back(entry);
        } else {
            self.heap.push(Reverse(entry));
        }
    }

    /// The earliest waiting delivery's time, and whether it is at the lane's front.
    #[inline]
    fn next(&self) -> Option<(Timestamp, bool)> {
        match (self.lane.front(), self.heap.peek()) {
            (Some(l), Some(Reverse(h))) => Some(if l < h { (l.time, true) } else { (h.time, false) }),
            (Some(l), None) => Some((l.time, true)),
            (None, Some(Reverse(h))) => Some((h.time, false)),
            (None, None) => None,
        }
    }

    /// True when a delivery is due at or before `until` (any, when `until` is None). Inlined:
    /// with orders in flight the queue is rarely empty, and this runs several times per event.
    #[inline]
    pub fn has_due(&self, until: Option<Timestamp>) -> bool {
        self.next().is_some_and(|(time, _)| until.is_none_or(|u| time <= u))
    }

    /// Takes the next delivery due at or before `until` (all of them when `until` is None).
    pub fn pop_due(&mut self, until: Option<Timestamp>) -> Option<(Timestamp, Delivery)> {
        let (time, lane) = self.next()?;
        if until.is_some_and(|u| time > u) {
            return None;
        }
        let e = if lane { self.lane.pop_front() } else { self.heap.pop().map(|Reverse(e)| e) }?;
        Some((e.time, e.delivery))
    }

    /// Deliveries waiting.
    pub fn len(&self) -> usize {
        self.lane.len() + self.heap.len()
    }

    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        self.lane.is_empty() && self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::InstrumentIndex;
    use crate::order::{ClientOrderId, OrderEvent, OrderKey, RequestCancel, StrategyId};

    fn delivery(n: u64) -> Delivery {
        let key = OrderKey {
            exchange: ExchangeIndex(0),
            instrument: InstrumentIndex(0),
            strategy: StrategyId("s".into()),
            cid: ClientOrderId(n.to_string().into()),
        };
        Delivery::ToExchange(
            ExchangeIndex(0),
            ExecutionRequest::Cancel(OrderEvent { key, state: RequestCancel { id: None } }),
        )
    }

    fn label(d: &Delivery) -> u64 {
        match d {
            Delivery::ToExchange(_, ExecutionRequest::Cancel(c)) => c.key.cid.0.parse().unwrap(),
            _ => unreachable!(),
        }
    }

    /// 2,000 pushes at mostly rising times, with ties, some earlier and some later ones, and pops
    /// of what is due every 7th push (as a run pops up to each market event's time).
    fn schedule() -> Vec<(Timestamp, u64, Option<Timestamp>)> {
        let (mut next, mut now) = (crate::test_util::lcg(7), 0i64);
        (0..2_000u64)
            .map(|n| {
                let r = next() % 10;
                now += i64::from(r == 0);
                let time = Timestamp(
                    now + match r {
                        1 => -3,
                        2 => 5,
                        _ => 0,
                    },
                );
                (time, n, (n % 7 == 0).then_some(Timestamp(now - 2)))
            })
            .collect()
    }

    #[test]
    fn deliveries_leave_in_the_order_one_heap_gives_whatever_lane_they_took() {
        let mut q = Scheduler::default();
        let mut got = Vec::new();
        for (time, n, pop) in schedule() {
            q.push(time, delivery(n));
            while let Some((t, d)) = pop.and_then(|until| q.pop_due(Some(until))) {
                got.push((t, label(&d)));
            }
        }
        assert!(!q.is_empty());
        while let Some((t, d)) = q.pop_due(None) {
            got.push((t, label(&d)));
        }
        assert!(q.is_empty());
        assert_eq!(q.len(), 0);
        let mut heap = BinaryHeap::new();
        let mut expected = Vec::new();
        for (time, n, pop) in schedule() {
            heap.push(Reverse((time, n)));
            while let Some(until) = pop {
                if heap.peek().is_none_or(|Reverse((t, _))| *t > until) {
                    break;
                }
                expected.extend(heap.pop().map(|Reverse(x)| x));
            }
        }
        expected.extend(std::iter::from_fn(|| heap.pop().map(|Reverse(x)| x)));
        assert_eq!(got, expected);
        // Some deliveries overtook earlier-scheduled ones: the heap lane was used.
        assert!(expected.windows(2).any(|w| w[1].1 < w[0].1));
    }
}
