//! The notes `check` prints on standard error, kept short whatever the size of the tree: a
//! note that lists many things (every compiled file it skipped, every module it did not
//! follow) names the first few and counts the others, unless `--verbose`; and the paths in
//! notes read as users type them, never `./x` nor `a/b/../c`.

use std::path::Path;

use isolint_model::source::display_name;

/// How many items of a listing a note names before it counts the others.
const SHOWN: usize = 3;

/// `note` as `check` prints it. A note of the shape `what: a, b, c, ...` (a plain list
/// after the first `: `) with more than [`SHOWN`] items names the first of them and how
/// many others there are, unless `verbose`.
pub(crate) fn shown(note: &str, verbose: bool) -> String {
    let Some((lead, list)) = note.split_once(": ") else {
        return tidy(note);
    };
    let plain_list = !list.contains(['(', ')', '`']);
    let items: Vec<String> = list.split(", ").map(tidy).collect();
    if !plain_list {
        return tidy(note);
    }
    if verbose || items.len() <= SHOWN + 1 {
        return format!("{}: {}", tidy(lead), items.join(", "));
    }
    let more = items.len() - SHOWN;
    format!(
        "{}: {} and {more} more (--verbose lists them)",
        tidy(lead),
        items[..SHOWN].join(", ")
    )
}

/// `text` with each path in it (a word that starts with `./` or holds `/./` or `/../`,
/// bare or between backticks) as [`display_name`] writes it.
fn tidy(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let inner = word.trim_matches(|c| c == '`' || c == ',' || c == ':');
            let is_path =
                inner.starts_with("./") || inner.contains("/./") || inner.contains("/../");
            if is_path && !inner.is_empty() {
                word.replacen(inner, &display_name(Path::new(inner)), 1)
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_listings_are_counted_unless_verbose() {
        let note = "not followed (cannot be read offline): a, b, c, d, e";
        assert_eq!(
            shown(note, false),
            "not followed (cannot be read offline): a, b, c and 2 more (--verbose lists them)"
        );
        assert_eq!(shown(note, true), note);
        let short = "not followed (cannot be read offline): a, b, c, d";
        assert_eq!(shown(short, false), short);
    }

    #[test]
    fn a_note_that_is_not_a_listing_is_kept() {
        let note = "skipped `x.txt`: not a file of a format isolint reads (Bicep, ARM JSON, Terraform, plans)";
        assert_eq!(shown(note, false), note);
    }

    #[test]
    fn paths_read_as_users_type_them() {
        let shown = shown(
            "skipped `./infra/a/../main.json`: the configuration excludes it",
            false,
        );
        assert_eq!(
            shown,
            "skipped `infra/main.json`: the configuration excludes it"
        );
    }
}
