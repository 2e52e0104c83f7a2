//! Rewriting the marked region of a hand-written file and leaving the rest byte for byte.

/// The line after which the generated rules table starts in `README.md`.
pub const BEGIN_RULES: &str = "<!-- begin generated rules -->";
/// The line before which the generated rules table ends in `README.md`.
pub const END_RULES: &str = "<!-- end generated rules -->";
/// The line after which the generated table of `check`'s options starts in `README.md`.
pub const BEGIN_OPTIONS: &str = "<!-- begin generated check options -->";
/// The line before which the generated table of `check`'s options ends in `README.md`.
pub const END_OPTIONS: &str = "<!-- end generated check options -->";

/// `text` with everything between the line that holds `begin` and the line that holds `end`
/// replaced by `body`. Both markers must occur exactly once, each on its own line, `begin`
/// first; the error says which condition failed.
pub fn replace_region(text: &str, begin: &str, end: &str, body: &str) -> Result<String, String> {
    let begin_at = single(text, begin)?;
    let end_at = single(text, end)?;
    if end_at < begin_at {
        return Err(format!("`{end}` comes before `{begin}`"));
    }
    // The region starts on the line after the begin marker and ends where the end
    // marker's line starts, so indentation or text around the markers stays untouched.
    let region_start = text[begin_at..]
        .find('\n')
        .map(|newline| begin_at + newline + 1)
        .filter(|&start| start <= end_at)
        .ok_or_else(|| format!("`{begin}` and `{end}` must be on separate lines"))?;
    let region_end = text[..end_at].rfind('\n').map_or(0, |newline| newline + 1);
    let mut out = String::with_capacity(text.len() + body.len());
    out.push_str(&text[..region_start]);
    out.push_str(body);
    out.push_str(&text[region_end..]);
    Ok(out)
}

/// The offset of the one occurrence of `marker` in `text`.
fn single(text: &str, marker: &str) -> Result<usize, String> {
    let mut found = text.match_indices(marker).map(|(at, _)| at);
    match (found.next(), found.next()) {
        (Some(at), None) => Ok(at),
        (None, _) => Err(format!("no `{marker}` marker")),
        (Some(_), Some(_)) => Err(format!("`{marker}` occurs more than once")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(text: &str, body: &str) -> Result<String, String> {
        replace_region(text, BEGIN_RULES, END_RULES, body)
    }

    #[test]
    fn replaces_only_the_region() {
        let text = "# isolint\n\nintro\n<!-- begin generated rules -->\nold\nrows\n<!-- end generated rules -->\noutro\n";
        assert_eq!(
            replace(text, "new\n").unwrap(),
            "# isolint\n\nintro\n<!-- begin generated rules -->\nnew\n<!-- end generated rules -->\noutro\n"
        );
    }

    #[test]
    fn fills_an_empty_region_and_is_idempotent() {
        let text = "<!-- begin generated rules -->\n<!-- end generated rules -->\n";
        let once = replace(text, "| a |\n").unwrap();
        assert_eq!(
            once,
            "<!-- begin generated rules -->\n| a |\n<!-- end generated rules -->\n"
        );
        assert_eq!(replace(&once, "| a |\n").unwrap(), once);
    }

    #[test]
    fn keeps_text_around_markers_and_crlf_outside_the_region() {
        let text =
            "a\r\n  <!-- begin generated rules -->\r\nx\r\n  <!-- end generated rules --> b\r\n";
        assert_eq!(
            replace(text, "y\n").unwrap(),
            "a\r\n  <!-- begin generated rules -->\r\ny\n  <!-- end generated rules --> b\r\n"
        );
    }

    #[test]
    fn end_marker_without_trailing_newline() {
        let text = "<!-- begin generated rules -->\n<!-- end generated rules -->";
        assert_eq!(
            replace(text, "x\n").unwrap(),
            "<!-- begin generated rules -->\nx\n<!-- end generated rules -->"
        );
    }

    #[test]
    fn refuses_missing_duplicate_misordered_or_same_line_markers() {
        let cases = [
            ("# isolint\n", "no `<!-- begin generated rules -->` marker"),
            (
                "<!-- begin generated rules -->\n",
                "no `<!-- end generated rules -->` marker",
            ),
            (
                "<!-- end generated rules -->\n<!-- begin generated rules -->\n",
                "comes before",
            ),
            (
                "<!-- begin generated rules -->\n<!-- begin generated rules -->\n<!-- end generated rules -->\n",
                "occurs more than once",
            ),
            (
                "<!-- begin generated rules --><!-- end generated rules -->\n",
                "separate lines",
            ),
        ];
        for (text, expected) in cases {
            let error = replace(text, "x\n").unwrap_err();
            assert!(error.contains(expected), "{text:?}: {error}");
        }
    }
}
