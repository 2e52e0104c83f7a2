//! Globs as isolint reads them (`--include`, `--exclude`, the configuration's `include`,
//! `exclude` and exception paths): `*` does not cross `/`, and a glob without `/` matches
//! at any depth, like a `.gitignore` line.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

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
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(glob.clone());
    }
    builder
        .build()
        .map(Some)
        .map_err(|err| format!("invalid {option} globs: {err}"))
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
}
