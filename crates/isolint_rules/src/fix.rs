//! Applying [`Fix`]es to the text of a file: the edits of one pass, in order, never two that
//! overlap, and each only where the text still holds the literal the rule saw.

use crate::finding::Fix;

/// What a literal is, as far as an edit must keep it: a fix replaces a literal with one of
/// the same kind (`'Enabled'` with `'Disabled'`, `true` with `false`), never anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LiteralKind {
    /// `'text'` (Bicep), `'''text'''` included.
    SingleQuoted,
    /// `"text"` (JSON, HCL).
    DoubleQuoted,
    /// `true` or `false`.
    Bool,
    /// An integer.
    Integer,
}

fn literal_kind(text: &str) -> Option<LiteralKind> {
    let quoted = |quote: char| {
        text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) && !text.contains('\n')
    };
    if quoted('\'') {
        Some(LiteralKind::SingleQuoted)
    } else if quoted('"') {
        Some(LiteralKind::DoubleQuoted)
    } else if text == "true" || text == "false" {
        Some(LiteralKind::Bool)
    } else if text
        .strip_prefix('-')
        .unwrap_or(text)
        .parse::<u64>()
        .is_ok()
    {
        Some(LiteralKind::Integer)
    } else {
        None
    }
}

/// Whether `fix` may be applied to `text`, the whole file its span is in: the span holds a
/// literal (the file has not changed under it since the analysis), and the replacement is
/// a literal of the same kind.
pub fn fix_applies_to(fix: &Fix, text: &str) -> bool {
    let Some(current) = text.get(fix.span.start as usize..fix.span.end as usize) else {
        return false;
    };
    literal_kind(current).is_some_and(|kind| literal_kind(&fix.replacement) == Some(kind))
}

/// `text` with `fixes` applied (all in the file `text` holds), and the fixes that were.
/// They apply from the start of the file on; one that overlaps an earlier one, or that
/// [`fix_applies_to`] refuses, is left out. Outside the edited spans the text is unchanged,
/// byte for byte.
pub fn apply_fixes<'f>(text: &str, fixes: &[&'f Fix]) -> (String, Vec<&'f Fix>) {
    let mut ordered: Vec<&Fix> = fixes.to_vec();
    ordered.sort_by_key(|fix| (fix.span.start, fix.span.end));
    let mut out = String::with_capacity(text.len());
    let mut applied = Vec::new();
    let mut done = 0usize;
    for fix in ordered {
        let (start, end) = (fix.span.start as usize, fix.span.end as usize);
        if start < done || !fix_applies_to(fix, text) {
            continue;
        }
        out.push_str(&text[done..start]);
        out.push_str(&fix.replacement);
        done = end;
        applied.push(fix);
    }
    out.push_str(&text[done..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use isolint_model::{FileId, Span};

    use super::*;
    use crate::Safety;

    fn fix(start: usize, end: usize, replacement: &str) -> Fix {
        Fix {
            title: String::new(),
            span: Span::new(FileId(0), start, end),
            replacement: replacement.to_owned(),
            safety: Safety::Safe,
        }
    }

    #[test]
    fn literals_are_replaced_by_literals_of_their_kind() {
        let text = "a: 'Enabled'\nb = true\nc: \"Basic\"\n";
        let edits = [
            fix(3, 12, "'Disabled'"),
            fix(17, 21, "false"),
            fix(25, 32, "\"Premium\""),
        ];
        let (out, applied) = apply_fixes(text, &edits.iter().collect::<Vec<_>>());
        assert_eq!(out, "a: 'Disabled'\nb = false\nc: \"Premium\"\n");
        assert_eq!(applied.len(), 3);
    }

    #[test]
    fn an_edit_that_no_longer_fits_is_left_out() {
        let text = "a: 'Enabled'\nb = var.x\n";
        // A span that is not a literal, a kind that changes, an overlap.
        let edits = [
            fix(17, 22, "false"),
            fix(3, 12, "false"),
            fix(3, 12, "'Disabled'"),
            fix(4, 11, "'x'"),
        ];
        let (out, applied) = apply_fixes(text, &edits.iter().collect::<Vec<_>>());
        assert_eq!(out, "a: 'Disabled'\nb = var.x\n");
        assert_eq!(applied.len(), 1);
        assert!(!fix_applies_to(&fix(0, 200, "true"), text));
    }
}
