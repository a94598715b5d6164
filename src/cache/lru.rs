//! The environment's in-memory template cache: least-recently-used eviction with a fixed
//! capacity, like Jinja2's `LRUCache` (`cache_size`; 0 disables caching).
//!
//! Entries live in a slab threaded by a doubly linked list from the most to the least
//! recently used, and a map finds a key's slot: a hit moves one entry to the front, an
//! eviction takes the back, both in constant time (an application with more templates than
//! the capacity evicts on every new load).

use std::collections::HashMap;

/// No slot: the end of the list.
const NIL: usize = usize::MAX;

#[derive(Debug)]
struct Entry<V> {
    key: String,
    value: V,
    /// The next more recently used entry, or [`NIL`].
    newer: usize,
    /// The next less recently used entry, or [`NIL`].
    older: usize,
}

/// A map with a capacity that forgets the least recently used entry first.
#[derive(Debug)]
pub struct Lru<V> {
    capacity: usize,
    slots: Vec<Entry<V>>,
    /// Keyed by template name with the renderer's hasher (SipHash cost a third of a hit).
    map: HashMap<String, usize, crate::value::BuildHash>,
    /// The most recently used slot.
    newest: usize,
    /// The least recently used slot.
    oldest: usize,
}

impl<V: Clone> Lru<V> {
    /// A cache holding at most `capacity` entries (`usize::MAX`: unbounded, 0: nothing).
    pub fn new(capacity: usize) -> Lru<V> {
        Lru { capacity, slots: Vec::new(), map: HashMap::default(), newest: NIL, oldest: NIL }
    }

    /// The capacity.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Change the capacity, evicting as needed.
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        while self.map.len() > capacity {
            match self.evict_one() {
                Some(slot) => self.release(slot),
                None => break,
            }
        }
    }

    /// The value for `key`, marking it as recently used.
    pub fn get(&mut self, key: &str) -> Option<V> {
        let slot = *self.map.get(key)?;
        self.move_to_front(slot);
        self.slots.get(slot).map(|e| e.value.clone())
    }

    /// Insert or replace.
    pub fn insert(&mut self, key: String, value: V) {
        if self.capacity == 0 {
            return;
        }
        if let Some(&slot) = self.map.get(&key) {
            if let Some(e) = self.slots.get_mut(slot) {
                e.value = value;
            }
            self.move_to_front(slot);
            return;
        }
        let slot = if self.map.len() >= self.capacity {
            // Full: the least recently used slot takes the new entry.
            match self.evict_one() {
                Some(slot) => slot,
                None => return,
            }
        } else {
            self.slots.len()
        };
        let entry = Entry { key: key.clone(), value, newer: NIL, older: NIL };
        match self.slots.get_mut(slot) {
            Some(e) => *e = entry,
            None => self.slots.push(entry),
        }
        self.map.insert(key, slot);
        self.link_front(slot);
    }

    /// Remove one key.
    pub fn remove(&mut self, key: &str) {
        if let Some(slot) = self.map.remove(key) {
            self.unlink(slot);
            self.release(slot);
        }
    }

    /// Remove everything.
    pub fn clear(&mut self) {
        self.map.clear();
        self.slots.clear();
        self.newest = NIL;
        self.oldest = NIL;
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Forget the least recently used entry; its slot, now unlinked and free for reuse.
    fn evict_one(&mut self) -> Option<usize> {
        let slot = self.oldest;
        let key = std::mem::take(&mut self.slots.get_mut(slot)?.key);
        self.map.remove(&key);
        self.unlink(slot);
        Some(slot)
    }

    /// Give back an unlinked slot that is no longer in the map: the last slot is dropped,
    /// another is filled by moving the last one into it.
    fn release(&mut self, slot: usize) {
        let last = self.slots.len().saturating_sub(1);
        if slot != last {
            self.slots.swap(slot, last);
            if let Some(e) = self.slots.get(slot) {
                if let Some(s) = self.map.get_mut(&e.key) {
                    *s = slot;
                }
            }
            // Put the moved entry back where it was in the order.
            self.relink(slot);
        }
        self.slots.pop();
    }

    fn move_to_front(&mut self, slot: usize) {
        if self.newest != slot {
            self.unlink(slot);
            self.link_front(slot);
        }
    }

    fn unlink(&mut self, slot: usize) {
        let Some(e) = self.slots.get(slot) else { return };
        let (newer, older) = (e.newer, e.older);
        match self.slots.get_mut(newer) {
            Some(n) => n.older = older,
            None => self.newest = older,
        }
        match self.slots.get_mut(older) {
            Some(o) => o.newer = newer,
            None => self.oldest = newer,
        }
        if let Some(e) = self.slots.get_mut(slot) {
            e.newer = NIL;
            e.older = NIL;
        }
    }

    /// Link `slot` back between the neighbours it still records (after [`Self::release`]
    /// moved it, with its links, from the slot that was unlinked).
    fn relink(&mut self, slot: usize) {
        let Some(e) = self.slots.get(slot) else { return };
        let (newer, older) = (e.newer, e.older);
        match self.slots.get_mut(newer) {
            Some(n) => n.older = slot,
            None => self.newest = slot,
        }
        match self.slots.get_mut(older) {
            Some(o) => o.newer = slot,
            None => self.oldest = slot,
        }
    }

    fn link_front(&mut self, slot: usize) {
        let old_newest = self.newest;
        if let Some(e) = self.slots.get_mut(slot) {
            e.newer = NIL;
            e.older = old_newest;
        }
        match self.slots.get_mut(old_newest) {
            Some(n) => n.newer = slot,
            None => self.oldest = slot,
        }
        self.newest = slot;
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

    /// The old scanning cache, as the reference: ticks, and eviction of the smallest.
    struct Model {
        capacity: usize,
        tick: u64,
        map: std::collections::BTreeMap<String, (u32, u64)>,
    }

    impl Model {
        fn get(&mut self, k: &str) -> Option<u32> {
            self.tick += 1;
            let tick = self.tick;
            self.map.get_mut(k).map(|(v, t)| {
                *t = tick;
                *v
            })
        }
        fn evict(&mut self) {
            let oldest = self.map.iter().min_by_key(|(_, (_, t))| *t).map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                self.map.remove(&k);
            }
        }
        fn insert(&mut self, k: String, v: u32) {
            if self.capacity == 0 {
                return;
            }
            self.tick += 1;
            if !self.map.contains_key(&k) {
                while self.map.len() >= self.capacity {
                    self.evict();
                }
            }
            self.map.insert(k, (v, self.tick));
        }
    }

    proptest::proptest! {
        #[test]
        fn same_as_scanning_for_the_oldest(ops in proptest::collection::vec((0u8..5, 0u8..12, 0u32..100), 0..300), cap in 0usize..6) {
            let mut lru = Lru::new(cap);
            let mut model = Model { capacity: cap, tick: 0, map: Default::default() };
            for (op, k, v) in ops {
                let key = format!("t{k}");
                match op {
                    0 | 1 => {
                        lru.insert(key.clone(), v);
                        model.insert(key, v);
                    }
                    2 => proptest::prop_assert_eq!(lru.get(&key), model.get(&key)),
                    3 => {
                        lru.remove(&key);
                        model.map.remove(&key);
                    }
                    _ => {
                        let c = (v % 7) as usize;
                        lru.set_capacity(c);
                        model.capacity = c;
                        while model.map.len() > c {
                            model.evict();
                        }
                    }
                }
                proptest::prop_assert_eq!(lru.len(), model.map.len());
            }
            for k in 0..12 {
                let key = format!("t{k}");
                proptest::prop_assert_eq!(lru.get(&key), model.get(&key));
            }
        }
    }
}
