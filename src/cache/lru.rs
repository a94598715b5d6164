//! The environment's in-memory template cache: least-recently-used eviction with a fixed
//! capacity, like Jinja2's `LRUCache` (`cache_size`; 0 disables caching).
//!
//! Capacities are small (Jinja2's default is 400), so eviction scans for the oldest entry
//! instead of keeping a linked list.

use std::collections::HashMap;

/// A map with a capacity that forgets the least recently used entry first.
#[derive(Debug)]
pub struct Lru<V> {
    capacity: usize,
    tick: u64,
    map: HashMap<String, (V, u64)>,
}

impl<V: Clone> Lru<V> {
    /// A cache holding at most `capacity` entries (`usize::MAX`: unbounded, 0: nothing).
    pub fn new(capacity: usize) -> Lru<V> {
        Lru { capacity, tick: 0, map: HashMap::new() }
    }

    /// The capacity.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Change the capacity, evicting as needed.
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        while self.map.len() > capacity {
            self.evict_one();
        }
    }

    /// The value for `key`, marking it as recently used.
    pub fn get(&mut self, key: &str) -> Option<V> {
        self.tick += 1;
        let tick = self.tick;
        self.map.get_mut(key).map(|(v, t)| {
            *t = tick;
            v.clone()
        })
    }

    /// Insert or replace.
    pub fn insert(&mut self, key: String, value: V) {
        if self.capacity == 0 {
            return;
        }
        self.tick += 1;
        if !self.map.contains_key(&key) {
            while self.map.len() >= self.capacity {
                self.evict_one();
            }
        }
        self.map.insert(key, (value, self.tick));
    }

    /// Remove one key.
    pub fn remove(&mut self, key: &str) {
        self.map.remove(key);
    }

    /// Remove everything.
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    fn evict_one(&mut self) {
        let oldest = self.map.iter().min_by_key(|(_, (_, t))| *t).map(|(k, _)| k.clone());
        if let Some(k) = oldest {
            self.map.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used() {
        let mut c = Lru::new(2);
        c.insert("a".into(), 1);
        c.insert("b".into(), 2);
        assert_eq!(c.get("a"), Some(1));
        c.insert("c".into(), 3);
        assert_eq!(c.get("b"), None);
        assert_eq!(c.get("a"), Some(1));
        assert_eq!(c.get("c"), Some(3));
        c.set_capacity(1);
        assert_eq!(c.len(), 1);
        assert_eq!(c.get("c"), Some(3));
    }

    #[test]
    fn zero_capacity_caches_nothing() {
        let mut c = Lru::new(0);
        c.insert("a".into(), 1);
        assert!(c.is_empty());
        assert_eq!(c.get("a"), None);
    }
}
