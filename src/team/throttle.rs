//! Failed sign-ins slow further tries, per account name (known or not, so
//! the answer tells nothing) and per client address: a few mistakes cost
//! nothing, guessing costs more each time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Mistakes allowed before any wait, per name and per address.
const FREE_PER_NAME: u32 = 5;
const FREE_PER_ADDRESS: u32 = 20;
/// The first wait, doubling with each further failure, up to the longest.
const FIRST_WAIT: Duration = Duration::from_secs(30);
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Failures this old are forgotten.
const MEMORY: Duration = Duration::from_secs(3600);
/// Entries kept before the old ones are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Debug, Default)]
pub struct Throttle {
    names: Mutex<HashMap<String, Failures>>,
    addresses: Mutex<HashMap<IpAddr, Failures>>,
}

fn wait<K: std::hash::Hash + Eq>(
    map: &Mutex<HashMap<K, Failures>>,
    key: &K,
    free: u32,
    now: Instant,
) -> Option<Duration> {
    let map = crate::locks::lock(map);
    let failures = map.get(key)?;
    if failures.count < free || now.duration_since(failures.last) > MEMORY {
        return None;
    }
    let doublings = (failures.count - free).min(10);
    let wait = (FIRST_WAIT * 2u32.pow(doublings)).min(LONGEST_WAIT);
    let until = failures.last + wait;
    (until > now).then(|| until - now)
}

fn fail<K: std::hash::Hash + Eq>(map: &Mutex<HashMap<K, Failures>>, key: K, now: Instant) {
    let mut map = crate::locks::lock(map);
    if map.len() >= SWEEP_AT {
        map.retain(|_, f| now.duration_since(f.last) <= MEMORY);
    }
    let failures = map.entry(key).or_insert(Failures { count: 0, last: now });
    if now.duration_since(failures.last) > MEMORY {
        failures.count = 0;
    }
    failures.count += 1;
    failures.last = now;
}

impl Throttle {
    /// How long a sign-in as `name` from `address` must wait, if at all.
    pub fn wait(&self, name: &str, address: IpAddr, now: Instant) -> Option<Duration> {
        let by_name = wait(&self.names, &name.to_lowercase(), FREE_PER_NAME, now);
        let by_address = wait(&self.addresses, &address, FREE_PER_ADDRESS, now);
        by_name.max(by_address)
    }

    pub fn failed(&self, name: &str, address: IpAddr, now: Instant) {
        fail(&self.names, name.to_lowercase(), now);
        fail(&self.addresses, address, now);
    }

    /// A sign-in that worked clears its name's failures (not its address's).
    pub fn succeeded(&self, name: &str) {
        crate::locks::lock(&self.names).remove(&name.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guessing_waits_longer_each_time() {
        let throttle = Throttle::default();
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..FREE_PER_NAME {
            assert_eq!(throttle.wait("nigora", here, t0), None);
            throttle.failed("nigora", here, t0);
        }
        assert_eq!(throttle.wait("Nigora", here, t0), Some(FIRST_WAIT));
        assert_eq!(throttle.wait("someone-else", here, t0), None);
        throttle.failed("nigora", here, t0);
        assert_eq!(throttle.wait("nigora", here, t0), Some(FIRST_WAIT * 2));
        assert_eq!(throttle.wait("nigora", here, t0 + FIRST_WAIT * 3), None);
        // Another address guessing many names is slowed by its address.
        let there: IpAddr = "198.51.100.7".parse().unwrap();
        for i in 0..FREE_PER_ADDRESS {
            throttle.failed(&format!("name{i}"), there, t0);
        }
        assert!(throttle.wait("fresh-name", there, t0).is_some());
        throttle.succeeded("nigora");
        assert_eq!(throttle.wait("nigora", here, t0), None);
    }
}
