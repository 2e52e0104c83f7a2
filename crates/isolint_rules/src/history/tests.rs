//! Tests of the arithmetic of the history: MTTR, ages, windows.

use isolint_model::{FileId, Span};

use super::*;
use crate::finding::{Finding, ResourceIdentity};
use crate::registry::RULES;

fn commit(day: i64) -> Commit {
    Commit {
        id: format!("c{day}"),
        seconds: day * 86_400,
        summary: String::new(),
    }
}

fn finding(rule: usize) -> Finding {
    let span = Span::new(FileId(0), 0, 1);
    Finding {
        rule: RULES[rule],
        level: RULES[rule].level,
        message: "m".to_owned(),
        help: None,
        span,
        labels: Vec::new(),
        resource: ResourceIdentity {
            ty: "t".into(),
            name: "r".to_owned(),
            qualified_name: "t/r".to_owned(),
            identity: "t/r".to_owned(),
            declaration: span,
        },
        property: String::new(),
        unresolved: false,
        fix: None,
    }
}

fn walk(now_day: i64) -> Walk {
    Walk {
        since: None,
        now: now_day * 86_400,
        commits: 0,
        evaluated: 0,
        head: None,
    }
}

#[test]
fn the_mttr_is_the_mean_over_remediated_findings_whose_opening_was_seen() {
    let mut ledger = Ledger::default();
    let a = ledger.open(&finding(0), "ws", &commit(1), false);
    let b = ledger.open(&finding(1), "ws", &commit(2), false);
    let before = ledger.open(&finding(2), "ws", &commit(0), true);
    ledger.open(&finding(3), "ws", &commit(3), false);
    let other = ledger.open(&finding(0), "other", &commit(4), false);
    ledger.close(a, &commit(5)); // 4 days
    ledger.close(b, &commit(12)); // 10 days
    ledger.close(before, &commit(1)); // not counted: opened before the window
    ledger.close(other, &commit(5)); // 1 day
    ledger.close(other, &commit(9)); // closing twice keeps the first
    let history = ledger.into_history(walk(20));

    assert_eq!(history.workspaces.len(), 2);
    let ws = &history.workspaces[1];
    assert_eq!(ws.workspace, "ws");
    assert_eq!(ws.remediated.len(), 3);
    assert_eq!(ws.mttr(), Some(7 * 86_400));
    assert_eq!(ws.open.len(), 1);
    assert_eq!(ws.open[0].duration(history.walk.now), 17 * 86_400);
    assert_eq!(history.workspaces[0].mttr(), Some(86_400));
    assert_eq!(history.mttr(), Some(5 * 86_400));
    assert_eq!((history.remediated(), history.open()), (4, 1));
}

#[test]
fn without_a_remediation_there_is_no_mttr() {
    let mut ledger = Ledger::default();
    ledger.open(&finding(0), "ws", &commit(1), false);
    let history = ledger.into_history(walk(3));
    assert_eq!(history.mttr(), None);
    assert_eq!(history.workspaces[0].mttr(), None);
    assert_eq!(Ledger::default().into_history(walk(0)).mttr(), None);
}

#[test]
fn notes_and_suppression_findings_are_not_tracked() {
    let mut note = finding(0);
    note.unresolved = true;
    assert!(!tracks(&note));
    assert!(tracks(&finding(0)));
}

#[test]
fn dates_and_unix_seconds_round_trip() {
    for text in ["1970-01-01", "2000-02-29", "2026-03-01", "2100-12-31"] {
        let date = Date::parse(text).unwrap();
        let seconds = date.unix_seconds();
        assert_eq!(seconds % 86_400, 0);
        assert_eq!(
            Date::from_unix_seconds(u64::try_from(seconds).unwrap()),
            date,
            "{text}"
        );
    }
    assert_eq!(
        Date::parse("2026-03-01").unwrap().unix_seconds(),
        1_772_323_200
    );
}
