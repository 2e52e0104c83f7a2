//! Globs as isolint reads them (`--include`, `--exclude`, the configuration's `include`,
//! `exclude` and exception paths): `*` does not cross `/`, and a glob without `/` matches
//! at any depth, like a `.gitignore` line.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// The most globs one option or configuration list may hold. Each costs kilobytes once
/// compiled (100,000 of them took 644 MB); a glob naming a folder covers all below it, so
/// real projects need a handful.
pub(crate) const MAX_GLOBS: usize = 1_000;

/// Parses one glob. The error says why the text is not one.
pub(crate) fn parse_glob(text: &str) -> Result<Glob, String> {
    let text = text.trim();
    let text = text.strip_prefix("./").unwrap_or(text);
    let text = text.strip_suffix('/').unwrap_or(text);
    if text.is_empty() {
        return Err("the glob is empty".to_owned());
    }
    let pattern = if text.contains('/') {
        text.strip_prefix('/').unwrap_or(text).to_owned()
    } else {
        format!("**/{text}")
    };
    GlobBuilder::new(&pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

/// Compiles `globs` into one set (`None` when there are none); `option` names them in the
/// error.
pub(crate) fn glob_set(globs: &[Glob], option: &str) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    if globs.len() > MAX_GLOBS {
        return Err(too_many(option, globs.len()));
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(glob.clone());
    }
    builder
        .build()
        .map(Some)
        .map_err(|err| format!("invalid {option} globs: {err}"))
}

/// The error for a list of `count` globs given as `what`.
pub(crate) fn too_many(what: &str, count: usize) -> String {
    format!(
        "too many {what} globs: {count} (at most {MAX_GLOBS}; a glob that names a folder covers everything below it)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_without_a_slash_match_at_any_depth() {
        let glob = parse_glob("*.parameters.json").unwrap().compile_matcher();
        assert!(glob.is_match("a.parameters.json"));
        assert!(glob.is_match("x/y/a.parameters.json"));
        let rooted = parse_glob("./modules/*.json").unwrap().compile_matcher();
        assert!(rooted.is_match("modules/a.json"));
        assert!(!rooted.is_match("modules/deep/a.json"));
        assert!(!rooted.is_match("x/modules/a.json"));
        assert!(parse_glob("").is_err());
        assert!(parse_glob("a[").is_err());
    }

    #[test]
    fn glob_lists_are_bounded() {
        let many = vec![parse_glob("*.json").unwrap(); MAX_GLOBS + 1];
        let error = glob_set(&many, "--exclude").unwrap_err();
        assert!(
            error.starts_with("too many --exclude globs: 1001"),
            "{error}"
        );
        assert!(glob_set(&many[..MAX_GLOBS], "--exclude").unwrap().is_some());
    }
}
