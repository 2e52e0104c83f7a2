//! Diagnostics met inside module-cache files, moved to the module call in a file of the
//! user's: a cache file's text is never printed, so nothing may point into it.

use std::path::PathBuf;

use isolint_model::{Diagnostic, SourceMap};

use crate::gaps::Call;

/// The call in a file of the user's that reaches a module-cache file (or folder).
#[derive(Clone, Debug)]
pub(crate) struct HiddenCall {
    /// The cache file, or the installed module's folder.
    pub(crate) path: PathBuf,
    /// The call.
    pub(crate) call: Call,
}

/// Moves every diagnostic about a module-cache file to the call that reaches it (or, when
/// none is known, to the file without a location), saying what kind of problem it is but
/// not quoting the file.
pub(crate) fn relocate(diagnostics: &mut [Diagnostic], calls: &[HiddenCall], sources: &SourceMap) {
    for diagnostic in diagnostics {
        let in_cache = match diagnostic.span {
            Some(span) => sources.get(span.file).is_some_and(|file| file.hidden),
            None => sources
                .find(&diagnostic.path)
                .is_some_and(|file| file.hidden),
        };
        if !in_cache {
            continue;
        }
        let call = calls
            .iter()
            .find(|call| diagnostic.path.starts_with(&call.path));
        let place = call.and_then(|call| Some((call, sources.get(call.call.at.file)?)));
        match place {
            Some((call, file)) => {
                diagnostic.message = format!(
                    "module `{}`: isolint met a problem ({}) inside the module, in a module-cache file it does not show",
                    call.call.reference, diagnostic.code
                );
                diagnostic.path.clone_from(&file.path);
                diagnostic.span = Some(call.call.at);
            }
            None => {
                diagnostic.message = format!(
                    "isolint met a problem ({}) in a module-cache file it does not show",
                    diagnostic.code
                );
                diagnostic.span = None;
            }
        }
    }
}
