//! The link-state database: the newest verified advert of every origin, aged out when its
//! origin stops refreshing it.

use std::collections::BTreeMap;

use tokio::time::Instant;

use super::advert::Advert;
use crate::engine::rpc::pb;

#[derive(Debug, Clone)]
pub struct Entry {
    pub advert: Advert,
    /// As received, for flooding on and for syncing a neighbour that comes up.
    pub signed: pb::SignedAdvert,
    expires: Instant,
}

#[derive(Debug, Default)]
pub struct Lsdb {
    entries: BTreeMap<String, Entry>,
}

impl Lsdb {
    /// Keeps `advert` if it is newer than what this database holds for its origin; returns
    /// true if it did (the caller floods it on and recomputes routes).
    pub fn offer(&mut self, advert: Advert, signed: pb::SignedAdvert, now: Instant) -> bool {
        if self
            .entries
            .get(&advert.origin)
            .is_some_and(|e| e.advert.seq >= advert.seq)
        {
            return false;
        }
        let expires = now + advert.lifetime;
        self.entries.insert(
            advert.origin.clone(),
            Entry {
                advert,
                signed,
                expires,
            },
        );
        true
    }

    /// Drops adverts whose lifetime has run out; returns their origins.
    pub fn expire(&mut self, now: Instant) -> Vec<String> {
        let old: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, e)| e.expires <= now)
            .map(|(o, _)| o.clone())
            .collect();
        for o in &old {
            self.entries.remove(o);
        }
        old
    }

    /// Drops the adverts of origins `keep` rejects (removed from the roster, revoked).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) -> bool {
        let before = self.entries.len();
        self.entries.retain(|o, _| keep(o));
        before != self.entries.len()
    }

    pub fn get(&self, origin: &str) -> Option<&Advert> {
        self.entries.get(origin).map(|e| &e.advert)
    }

    pub fn seq(&self, origin: &str) -> Option<u64> {
        self.get(origin).map(|a| a.seq)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn adverts(&self) -> impl Iterator<Item = &Advert> {
        self.entries.values().map(|e| &e.advert)
    }

    /// Every advert as received, for a neighbour that just came up.
    pub fn signed(&self) -> Vec<pb::SignedAdvert> {
        self.entries.values().map(|e| e.signed.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn advert(origin: &str, seq: u64) -> Advert {
        Advert {
            origin: origin.into(),
            seq,
            lifetime: Duration::from_secs(10),
            links: Vec::new(),
        }
    }

    #[test]
    fn only_newer_adverts_replace_and_old_ones_age_out() {
        let now = Instant::now();
        let mut db = Lsdb::default();
        let s = pb::SignedAdvert::default();
        assert!(db.offer(advert("a", 5), s.clone(), now));
        assert!(!db.offer(advert("a", 5), s.clone(), now), "a duplicate");
        assert!(
            !db.offer(advert("a", 4), s.clone(), now),
            "a replay of an older one"
        );
        assert!(db.offer(advert("a", 6), s.clone(), now + Duration::from_secs(5)));
        assert!(db.offer(advert("b", 1), s, now));
        assert_eq!(
            db.expire(now + Duration::from_secs(12)),
            vec!["b".to_string()]
        );
        assert_eq!(db.seq("a"), Some(6), "refreshed at +5 s, lives to +15 s");
        assert!(db
            .expire(now + Duration::from_secs(15))
            .contains(&"a".to_string()));
        assert!(db.is_empty());
    }
}
