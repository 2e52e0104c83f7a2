//! Suppressions: approved exceptions that hide findings (inline comments, ARM `metadata`,
//! configuration `[[exceptions]]`), and the tool diagnostics SUP001-SUP003 about them.
//!
//! The frontends and the CLI collect [`Suppression`]s; [`apply_suppressions`] decides, after
//! the rules ran, which findings they hide. A suppressed finding is kept (SARIF records it
//! with its justification), only moved out of the active findings.

use std::fmt;
use std::sync::Arc;

use globset::GlobMatcher;
use isolint_model::{FileId, ResourceRef, Span};

use crate::context::Cx;
use crate::engine::Options;
use crate::finding::{Finding, ResourceIdentity};
use crate::help::Help;
use crate::rule::{Level, Protects, Rule, Status, Weight};

crate::declare_rule! {
    /// ## What it does
    /// Flags a suppression (an `isolint-ignore` comment, an ARM `metadata` entry or a
    /// configuration `[[exceptions]]` table) that gives no reason.
    ///
    /// ## Why is this bad?
    /// An exception to network isolation is a security decision. Without a reason, the
    /// next reviewer cannot tell an approved risk from a silenced alarm. The suppression
    /// still hides its findings.
    ///
    /// ## How to fix
    /// Add `reason="..."` to the comment, or `reason = "..."` to the metadata entry or the
    /// configuration exception, and preferably an `until` date.
    pub(crate) static SUPPRESSION_WITHOUT_REASON = Rule {
        id: "SUP001",
        name: "suppression-without-reason",
        level: Level::Warning,
        protects: Protects::Suppressions,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[WITHOUT_REASON_HELP],
        targets: &[],
        check: no_check,
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Flags a suppression whose `until` date has passed. The findings it hid are reported
    /// again.
    ///
    /// ## Why is this bad?
    /// Exceptions are approved for a time. Once it is over, the risk has to be fixed or
    /// approved again.
    ///
    /// ## How to fix
    /// Fix the finding and remove the suppression, or have the exception approved again
    /// and move its `until` date.
    pub(crate) static SUPPRESSION_EXPIRED = Rule {
        id: "SUP002",
        name: "suppression-expired",
        level: Level::Warning,
        protects: Protects::Suppressions,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[EXPIRED_HELP],
        targets: &[],
        check: no_check,
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Flags a suppression that hid no finding in this run.
    ///
    /// ## Why is this bad?
    /// A suppression that matches nothing is left over from a fix, or is written at the
    /// wrong place and does not hide what it was meant to hide.
    ///
    /// ## How to fix
    /// Remove it, or move it to the line before the resource or property it is about.
    pub(crate) static SUPPRESSION_UNUSED = Rule {
        id: "SUP003",
        name: "suppression-unused",
        level: Level::Note,
        protects: Protects::Suppressions,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[UNUSED_HELP],
        targets: &[],
        check: no_check,
    };
}

/// The tool's own rules about suppressions. They inspect no resource: the engine produces
/// their findings in [`apply_suppressions`].
pub static TOOL_RULES: &[&Rule] = &[
    &SUPPRESSION_WITHOUT_REASON,
    &SUPPRESSION_EXPIRED,
    &SUPPRESSION_UNUSED,
];

fn no_check(_: ResourceRef<'_>, _: &mut Cx<'_>) {}

const WITHOUT_REASON_HELP: Help =
    Help::everywhere("add reason=\"...\" saying why the exception is approved");

const EXPIRED_HELP: Help = Help::everywhere(
    "fix the findings and remove the suppression, or have it approved again with a later `until`",
);

const UNUSED_HELP: Help = Help::everywhere(
    "remove it, or move it to the line before the resource or property it is about",
);

/// A calendar date (`YYYY-MM-DD`), for `until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(text: &str) -> Result<Self, String> {
        let invalid = || format!("`{text}` is not a date of the form YYYY-MM-DD");
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(invalid());
        }
        let number = |range: std::ops::Range<usize>| -> Result<u16, String> {
            let part = &text[range];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().map_err(|_| invalid())
            } else {
                Err(invalid())
            }
        };
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).map_err(|_| invalid())?;
        let day = u8::try_from(number(8..10)?).map_err(|_| invalid())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("`{text}` is not a day of the calendar"));
        }
        Ok(Self { year, month, day })
    }

    /// The UTC date `seconds` after the Unix epoch (the caller reads the clock).
    pub fn from_unix_seconds(seconds: u64) -> Self {
        // Howard Hinnant's `civil_from_days`, for days since 1970-01-01.
        let days = i64::try_from(seconds / 86_400).unwrap_or(i64::MAX / 2);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year: u16::try_from(year).unwrap_or(u16::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

impl Date {
    /// The first second of the day (UTC), in seconds since the Unix epoch: the inverse of
    /// [`Date::from_unix_seconds`].
    pub fn unix_seconds(self) -> i64 {
        // Howard Hinnant's `days_from_civil`.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) * 86_400
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Where a suppression is written, as SARIF's `suppressions[].kind` says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// In the file that holds the finding (a comment, ARM `metadata`).
    InSource,
    /// Outside it (the configuration file's `[[exceptions]]`).
    External,
}

impl SuppressionKind {
    /// SARIF's spelling: `inSource` or `external`.
    pub fn as_sarif(self) -> &'static str {
        match self {
            Self::InSource => "inSource",
            Self::External => "external",
        }
    }
}

/// Which findings a suppression covers, besides its rules.
#[derive(Clone, Debug)]
pub enum Scope {
    /// Findings whose primary span lies within this span (a resource, a property line).
    Within(Span),
    /// Findings in files whose path matches `path`, on resources whose name or qualified
    /// name matches `resource` when given. Paths are those the caller's `path_of` returns.
    Matching {
        /// Matched against the finding's file path.
        path: GlobMatcher,
        /// Matched against the resource's name and its qualified name.
        resource: Option<GlobMatcher>,
    },
}

/// One approved exception.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// The rules it suppresses.
    pub rules: Vec<&'static Rule>,
    /// What it covers.
    pub scope: Scope,
    /// Why it is approved; SUP001 when absent.
    pub reason: Option<String>,
    /// Who approved it (configuration exceptions).
    pub approved_by: Option<String>,
    /// The last day it holds; SUP002 after it.
    pub until: Option<Date>,
    /// Where it is written, for SARIF.
    pub kind: SuppressionKind,
    /// Where it is written: the comment, the metadata entry, the configuration table. SUP
    /// findings point here.
    pub at: Span,
    /// A stable description of where it is written (`isolint.toml: exception for AML101 on
    /// infra/**`), the identity behind SUP findings' fingerprints.
    pub name: String,
}

impl Suppression {
    /// The justification SARIF records: the reason, who approved it and until when.
    pub fn justification(&self) -> String {
        let mut text = self
            .reason
            .clone()
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| "no reason given".to_owned());
        if let Some(by) = &self.approved_by {
            text.push_str(&format!(" (approved by {by})"));
        }
        if let Some(until) = self.until {
            text.push_str(&format!(" (until {until})"));
        }
        text
    }

    fn rule_list(&self) -> String {
        let ids: Vec<&str> = self.rules.iter().map(|r| r.id).collect();
        ids.join(", ")
    }

    fn covers(&self, finding: &Finding, path_of: &dyn Fn(FileId) -> Option<String>) -> bool {
        if !self.rules.iter().any(|r| r.id == finding.rule.id) {
            return false;
        }
        match &self.scope {
            Scope::Within(span) => span.contains(finding.span),
            Scope::Matching { path, resource } => {
                path_of(finding.span.file).is_some_and(|p| path.is_match(p))
                    && resource.as_ref().is_none_or(|glob| {
                        glob.is_match(&finding.resource.name)
                            || glob.is_match(&finding.resource.qualified_name)
                    })
            }
        }
    }
}

/// A finding that a suppression hides.
#[derive(Clone, Debug)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// Where the suppression is written.
    pub kind: SuppressionKind,
    /// Its justification ([`Suppression::justification`]).
    pub justification: String,
}

/// The findings after suppressions.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// The findings still reported, with SUP001-SUP003 findings added (unsorted).
    pub findings: Vec<Finding>,
    /// The findings a suppression hides.
    pub suppressed: Vec<Suppressed>,
}

/// Hides the findings that a suppression covers and reports on the suppressions: SUP001
/// for one without a reason (it still suppresses), SUP002 for one whose `until` is before
/// `today` (it no longer suppresses), SUP003 for one that covered no finding. `path_of`
/// gives the path `Scope::Matching` globs are matched against. SUP rules follow `options`
/// (select, ignore, levels); SUP003 is silent for a suppression whose rules did not run.
pub fn apply_suppressions(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    today: Date,
    options: &Options,
    path_of: &dyn Fn(FileId) -> Option<String>,
) -> Applied {
    let mut used = vec![false; suppressions.len()];
    let expired: Vec<bool> = suppressions
        .iter()
        .map(|s| s.until.is_some_and(|until| until < today))
        .collect();
    let mut applied = Applied::default();
    for finding in findings {
        let mut hiding = None;
        for (index, suppression) in suppressions.iter().enumerate() {
            if suppression.covers(&finding, path_of) {
                used[index] = true;
                if !expired[index] && hiding.is_none() {
                    hiding = Some(suppression);
                }
            }
        }
        match hiding {
            Some(suppression) => applied.suppressed.push(Suppressed {
                finding,
                kind: suppression.kind,
                justification: suppression.justification(),
            }),
            None => applied.findings.push(finding),
        }
    }
    for (index, suppression) in suppressions.iter().enumerate() {
        let rules = suppression.rule_list();
        if suppression
            .reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            report(
                &mut applied.findings,
                options,
                &SUPPRESSION_WITHOUT_REASON,
                suppression,
                format!("the suppression of {rules} gives no reason"),
                &WITHOUT_REASON_HELP,
            );
        }
        if let (true, Some(until)) = (expired[index], suppression.until) {
            report(
                &mut applied.findings,
                options,
                &SUPPRESSION_EXPIRED,
                suppression,
                format!(
                    "the suppression of {rules} expired on {until}: its findings are reported again"
                ),
                &EXPIRED_HELP,
            );
        } else if !used[index] && suppression.rules.iter().any(|r| options.enables(r)) {
            report(
                &mut applied.findings,
                options,
                &SUPPRESSION_UNUSED,
                suppression,
                format!("the suppression of {rules} matched no finding"),
                &UNUSED_HELP,
            );
        }
    }
    applied
}

fn report(
    findings: &mut Vec<Finding>,
    options: &Options,
    rule: &'static Rule,
    suppression: &Suppression,
    message: String,
    help: &Help,
) {
    if !options.enables(rule) {
        return;
    }
    findings.push(Finding {
        rule,
        level: options.configured_level(rule).unwrap_or(rule.level),
        message,
        // A suppression reads alike in every format: its help is the same in every syntax.
        help: Some(help.arm.to_owned()),
        span: suppression.at,
        labels: Vec::new(),
        resource: ResourceIdentity {
            ty: Arc::from("isolint/suppression"),
            name: suppression.name.clone(),
            qualified_name: suppression.name.clone(),
            identity: suppression.name.clone(),
            declaration: suppression.at,
        },
        property: String::new(),
        unresolved: false,
        fix: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_check_the_calendar() {
        assert_eq!(Date::parse("2027-01-31").unwrap().to_string(), "2027-01-31");
        assert!(Date::parse("2028-02-29").is_ok());
        assert!(Date::parse("2027-02-29").is_err());
        assert!(Date::parse("2027-13-01").is_err());
        assert!(Date::parse("2027-1-31").is_err());
        assert!(Date::parse("tomorrow").is_err());
        assert!(Date::parse("2027-01-31").unwrap() < Date::parse("2027-02-01").unwrap());
    }

    #[test]
    fn unix_time_becomes_a_utc_date() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix_seconds(1_709_208_000).to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Date::from_unix_seconds(1_798_761_599).to_string(),
            "2026-12-31"
        );
    }

    fn finding(rule: &'static Rule, start: usize) -> Finding {
        let span = Span::new(FileId(0), start, start + 1);
        Finding {
            rule,
            level: rule.level,
            message: "m".to_owned(),
            help: None,
            span,
            labels: Vec::new(),
            resource: ResourceIdentity {
                ty: Arc::from("Microsoft.MachineLearningServices/workspaces"),
                name: "ws".to_owned(),
                qualified_name: "Microsoft.MachineLearningServices/workspaces/ws".to_owned(),
                identity: "ws".to_owned(),
                declaration: span,
            },
            property: String::new(),
            unresolved: false,
            fix: None,
        }
    }

    fn suppression(
        rule: &'static Rule,
        covers: (usize, usize),
        until: Option<&str>,
    ) -> Suppression {
        Suppression {
            rules: vec![rule],
            scope: Scope::Within(Span::new(FileId(0), covers.0, covers.1)),
            reason: None,
            approved_by: None,
            until: until.map(|u| Date::parse(u).unwrap()),
            kind: SuppressionKind::InSource,
            at: Span::new(FileId(0), 0, 1),
            name: format!("s{}", covers.0),
        }
    }

    #[test]
    fn suppressions_hide_expire_and_go_unused() {
        let aml001 = crate::RULES[0];
        let today = Date::parse("2026-06-01").unwrap();
        let findings = vec![finding(aml001, 10), finding(aml001, 50)];
        let suppressions = [
            suppression(aml001, (5, 20), Some("2026-06-01")),
            suppression(aml001, (45, 60), Some("2026-05-31")),
            suppression(aml001, (90, 99), None),
        ];
        let applied =
            apply_suppressions(findings, &suppressions, today, &Options::default(), &|_| {
                None
            });
        // The first still holds on its last day; the second expired the day before.
        assert_eq!(applied.suppressed.len(), 1);
        assert_eq!(applied.suppressed[0].finding.span.start, 10);
        let mut reported: Vec<(&str, u32)> = applied
            .findings
            .iter()
            .map(|f| (f.rule.id, f.span.start))
            .collect();
        reported.sort_unstable();
        assert_eq!(
            reported,
            [
                ("AML001", 50),
                ("SUP001", 0),
                ("SUP001", 0),
                ("SUP001", 0),
                ("SUP002", 0),
                ("SUP003", 0)
            ]
        );
        // Turned off, SUP rules say nothing.
        let quiet = Options {
            ignore: vec!["SUP001".into(), "suppression-unused".into()],
            ..Options::default()
        };
        let applied = apply_suppressions(
            vec![finding(aml001, 10)],
            &suppressions,
            today,
            &quiet,
            &|_| None,
        );
        let ids: Vec<&str> = applied.findings.iter().map(|f| f.rule.id).collect();
        assert_eq!(ids, ["SUP002"]);
    }

    #[test]
    fn tool_rules_have_the_fixed_headings() {
        for rule in TOOL_RULES {
            for heading in ["What it does", "Why is this bad?", "How to fix"] {
                assert!(rule.section(heading).is_some(), "{}: {heading}", rule.id);
            }
            assert!(rule.summary().ends_with('.'));
        }
    }
}
