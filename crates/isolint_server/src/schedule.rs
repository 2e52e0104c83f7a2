//! When each document is analysed next. Changes are coalesced: the first change after an
//! analysis makes the document due a short delay later, and the changes that follow before
//! then join it, so a document is analysed at most once per delay while someone types, on
//! the text as it is when its turn comes. Opening and saving make it due at once.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use lsp_types::Uri;

/// How long changes are gathered before an analysis.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// The documents waiting for an analysis, and when each is due.
#[derive(Debug, Default)]
pub(crate) struct Schedule {
    due: HashMap<Uri, Instant>,
}

impl Schedule {
    /// `uri` changed at `now`: due a [`DEBOUNCE`] later, or earlier if it already was.
    pub(crate) fn changed(&mut self, uri: &Uri, now: Instant) {
        self.at(uri, now + DEBOUNCE);
    }

    /// `uri` is due at `now` (opened, saved).
    pub(crate) fn now(&mut self, uri: &Uri, now: Instant) {
        self.at(uri, now);
    }

    fn at(&mut self, uri: &Uri, when: Instant) {
        self.due
            .entry(uri.clone())
            .and_modify(|due| *due = (*due).min(when))
            .or_insert(when);
    }

    /// `uri` needs no analysis (closed).
    pub(crate) fn forget(&mut self, uri: &Uri) {
        self.due.remove(uri);
    }

    /// When the next document falls due.
    pub(crate) fn next(&self) -> Option<Instant> {
        self.due.values().min().copied()
    }

    /// The document most overdue at `now`, taken off the schedule (ties broken by URI, so
    /// that the order never depends on hashing).
    pub(crate) fn take_due(&mut self, now: Instant) -> Option<Uri> {
        let uri = self
            .due
            .iter()
            .filter(|(_, due)| **due <= now)
            .min_by(|a, b| a.1.cmp(b.1).then_with(|| a.0.cmp(b.0)))
            .map(|(uri, _)| uri.clone())?;
        self.due.remove(&uri);
        Some(uri)
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr as _;

    use super::*;

    fn uri(name: &str) -> Uri {
        Uri::from_str(&format!("file:///p/{name}")).unwrap()
    }

    #[test]
    fn changes_are_gathered_for_one_delay() {
        let mut schedule = Schedule::default();
        let start = Instant::now();
        let main = uri("main.bicep");
        schedule.changed(&main, start);
        // Typing on: the document stays due at the first change's deadline.
        schedule.changed(&main, start + Duration::from_millis(100));
        assert_eq!(schedule.next(), Some(start + DEBOUNCE));
        assert_eq!(schedule.take_due(start + Duration::from_millis(149)), None);
        assert_eq!(schedule.take_due(start + DEBOUNCE), Some(main.clone()));
        assert_eq!(schedule.take_due(start + DEBOUNCE), None);
        assert_eq!(schedule.next(), None);
    }

    #[test]
    fn opening_or_saving_is_due_at_once_and_closing_forgets() {
        let mut schedule = Schedule::default();
        let start = Instant::now();
        let (a, b) = (uri("a.tf"), uri("b.tf"));
        schedule.changed(&a, start);
        schedule.now(&a, start);
        assert_eq!(schedule.take_due(start), Some(a));
        schedule.now(&b, start);
        schedule.forget(&b);
        assert_eq!(schedule.take_due(start + DEBOUNCE), None);
    }

    #[test]
    fn the_most_overdue_document_goes_first() {
        let mut schedule = Schedule::default();
        let start = Instant::now();
        let (a, b) = (uri("a.tf"), uri("b.tf"));
        schedule.changed(&b, start);
        schedule.changed(&a, start + Duration::from_millis(10));
        let later = start + Duration::from_secs(1);
        assert_eq!(schedule.take_due(later), Some(b));
        assert_eq!(schedule.take_due(later), Some(a));
    }
}
