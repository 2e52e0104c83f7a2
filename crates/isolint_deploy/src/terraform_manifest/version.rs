//! Module versions and version constraints as Terraform's module installer reads them
//! (`hashicorp/go-version`): `=`, `!=`, `>`, `>=`, `<`, `<=`, `~>`, joined by commas.

use std::cmp::Ordering;

/// The operators, longest first so that `>=` is not read as `>`.
const OPERATORS: [(&str, Operator); 7] = [
    ("~>", Operator::Pessimistic),
    (">=", Operator::AtLeast),
    ("<=", Operator::AtMost),
    ("!=", Operator::NotEqual),
    ("=", Operator::Equal),
    (">", Operator::Greater),
    ("<", Operator::Less),
];

/// Segments are padded to at least this many (go-version pads to major.minor.patch).
const MIN_SEGMENTS: usize = 3;

/// A module version (`0.8.0`, `v1.2`, `1.0.0-beta.1+build`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// The numbers, padded with zeros to at least three.
    segments: Vec<u64>,
    /// How many numbers were written (`~>` depends on it).
    written: usize,
    /// The pre-release part, without its `-` (empty for a release).
    prerelease: String,
}

impl Version {
    /// Parses a version; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        // Build metadata never takes part in comparisons.
        let text = text.split_once('+').map_or(text, |(version, _)| version);
        let numbers_end = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (numbers, rest) = text.split_at(numbers_end);
        let prerelease = rest.strip_prefix('-').unwrap_or(rest);
        let prerelease_is_valid = prerelease.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'~')
        });
        if !rest.is_empty() && !prerelease_is_valid {
            return None;
        }
        let mut segments = numbers
            .split('.')
            .map(|n| {
                (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| n.parse::<u64>().ok())
                    .flatten()
            })
            .collect::<Option<Vec<u64>>>()?;
        let written = segments.len();
        if segments.len() < MIN_SEGMENTS {
            segments.resize(MIN_SEGMENTS, 0);
        }
        Some(Self {
            segments,
            written,
            prerelease: prerelease.to_owned(),
        })
    }

    fn is_prerelease(&self) -> bool {
        !self.prerelease.is_empty()
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.segments.len().max(other.segments.len());
        let segment = |v: &Self, i: usize| v.segments.get(i).copied().unwrap_or(0);
        (0..len)
            .map(|i| segment(self, i).cmp(&segment(other, i)))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| compare_prereleases(&self.prerelease, &other.prerelease))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A release is above its pre-releases; pre-releases compare part by part, numbers
/// numerically and below words, and a longer list above its prefix.
fn compare_prereleases(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(l), Some(r)) => {
                let order = match (l.parse::<u64>(), r.parse::<u64>()) {
                    (Ok(l), Ok(r)) => l.cmp(&r),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => l.cmp(r),
                };
                if order.is_ne() {
                    return order;
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Greater,
    Less,
    AtLeast,
    AtMost,
    Pessimistic,
}

/// A `version = "..."` constraint: every comma-separated part must hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionConstraints {
    parts: Vec<(Operator, Version)>,
}

impl VersionConstraints {
    /// Parses a constraint; `None` when it is not one. A blank constraint accepts every
    /// version.
    pub fn parse(text: &str) -> Option<Self> {
        if text.trim().is_empty() {
            return Some(Self { parts: Vec::new() });
        }
        let parts = text
            .split(',')
            .map(|part| {
                let part = part.trim();
                let (operator, version) = OPERATORS
                    .iter()
                    .find_map(|(symbol, op)| Some((*op, part.strip_prefix(symbol)?)))
                    .unwrap_or((Operator::Equal, part));
                Some((operator, Version::parse(version)?))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { parts })
    }

    /// Whether `version` meets every part.
    pub fn accepts(&self, version: &Version) -> bool {
        self.parts
            .iter()
            .all(|(operator, constraint)| meets(version, *operator, constraint))
    }
}

/// One constraint, with go-version's pre-release rules: a pre-release only meets a
/// constraint that names a pre-release of the same numbers.
fn meets(v: &Version, operator: Operator, c: &Version) -> bool {
    let prerelease_ok = match (v.is_prerelease(), c.is_prerelease()) {
        (true, true) => v.segments == c.segments,
        (true, false) => false,
        (false, _) => true,
    };
    match operator {
        Operator::Equal => v == c,
        Operator::NotEqual => v != c,
        Operator::Greater => prerelease_ok && v > c,
        Operator::Less => prerelease_ok && v < c,
        Operator::AtLeast => prerelease_ok && v >= c,
        Operator::AtMost => prerelease_ok && v <= c,
        Operator::Pessimistic => {
            // `~> 1.2` is `>= 1.2, < 2.0`; `~> 1.2.3` is `>= 1.2.3, < 1.3.0`: every
            // written number but the last is fixed.
            prerelease_ok
                && (v.is_prerelease() || !c.is_prerelease())
                && v >= c
                && c.segments.len() <= v.segments.len()
                && v.segments[..c.written.saturating_sub(1)]
                    == c.segments[..c.written.saturating_sub(1)]
        }
    }
}

/// Whether `version` meets `constraint`; `None` when either cannot be parsed.
pub fn satisfies(version: &str, constraint: &str) -> Option<bool> {
    let version = Version::parse(version)?;
    Some(VersionConstraints::parse(constraint)?.accepts(&version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_follow_terraform() {
        for (version, constraint, expected) in [
            ("0.8.0", "0.8.0", true),
            ("0.8.0", "= 0.8.0", true),
            ("0.8.1", "0.8.0", false),
            ("0.8.1", "!= 0.8.0", true),
            ("0.8.3", "~> 0.8", true),
            ("0.9.0", "~> 0.8", true),
            ("1.0.0", "~> 0.8", false),
            ("0.7.9", "~> 0.8", false),
            ("0.8.9", "~> 0.8.2", true),
            ("0.9.0", "~> 0.8.2", false),
            ("0.8.1", "~> 0.8.2", false),
            ("7.0.0", "~> 1", true),
            ("1.2.0", ">= 1.0, < 2.0", true),
            ("2.0.0", ">= 1.0, < 2.0", false),
            ("1.0.0", "> 1.0", false),
            ("1.0.1", "> 1.0", true),
            ("1.0.0", "<= 1", true),
            ("v1.2.3", "1.2.3", true),
            ("1.2.3+build.7", "1.2.3", true),
            ("1.0.0-beta", ">= 0.9", false),
            ("1.0.0-beta", "1.0.0-beta", true),
            ("1.0.0-beta.2", ">= 1.0.0-beta.1", true),
            ("1.0.0-beta.1", ">= 1.0.0-beta.2", false),
            ("1.0.0", ">= 1.0.0-beta", true),
            ("1.0.0", "", true),
        ] {
            assert_eq!(
                satisfies(version, constraint),
                Some(expected),
                "{version} against {constraint}"
            );
        }
    }

    #[test]
    fn malformed_versions_and_constraints_are_none() {
        assert_eq!(satisfies("latest", "1.0"), None);
        assert_eq!(satisfies("1.0", "~> one"), None);
        assert_eq!(satisfies("1.0", ">= 1.0,"), None);
        assert_eq!(satisfies("1..0", "1.0"), None);
        assert_eq!(satisfies("99999999999999999999999", "1.0"), None);
    }

    #[test]
    fn pre_releases_order_below_their_release() {
        let parse = |text| Version::parse(text).unwrap();
        assert!(parse("1.0.0-alpha") < parse("1.0.0"));
        assert!(parse("1.0.0-alpha") < parse("1.0.0-alpha.1"));
        assert!(parse("1.0.0-2") < parse("1.0.0-10"));
        assert!(parse("1.0.0-10") < parse("1.0.0-alpha"));
        assert_eq!(parse("1.0").cmp(&parse("1.0.0")), Ordering::Equal);
    }
}
