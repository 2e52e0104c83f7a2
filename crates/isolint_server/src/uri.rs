//! `file:` URIs to paths and back, the one place that knows their encoding: lsp-types'
//! `Uri` (fluent-uri 0.1) parses and prints, but neither decodes percent escapes nor knows
//! paths.

use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use lsp_types::Uri;

/// The path a `file:` URI names (percent escapes decoded, a Windows drive letter's leading
/// `/` dropped on Windows), or `None` for other schemes (`untitled:`, `git:`) and for URIs
/// that name a remote host.
pub(crate) fn to_path(uri: &Uri) -> Option<PathBuf> {
    path_text(uri.as_str(), cfg!(windows)).map(PathBuf::from)
}

/// The `file:` URI of `path` (absolute), with every byte outside the unreserved set and `/`
/// percent-encoded, as VS Code writes them.
pub(crate) fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        // `C:/x` is `file:///C:/x`.
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

/// The decoded path of a `file:` URI's text; `windows` drops the `/` before a drive letter
/// (`/c:/x` is `c:/x`).
fn path_text(uri: &str, windows: bool) -> Option<String> {
    let (scheme, rest) = uri.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = rest.strip_prefix("//")?;
    let (authority, path) = rest.split_at(rest.find('/')?);
    if !(authority.is_empty() || authority.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    let bytes = decoded.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':';
    Some(if windows && drive {
        decoded[1..].to_owned()
    } else {
        decoded
    })
}

/// `%XX` escapes decoded; `None` when one is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn file_uris_decode_to_paths() {
        assert_eq!(
            to_path(&uri("file:///home/me/infra/main.bicep")),
            Some(PathBuf::from("/home/me/infra/main.bicep"))
        );
        assert_eq!(
            to_path(&uri("file:///home/me/my%20infra/%C3%A9t%C3%A9.tf")),
            Some(PathBuf::from("/home/me/my infra/été.tf"))
        );
        assert_eq!(
            to_path(&uri("file://localhost/srv/a.json")),
            Some(PathBuf::from("/srv/a.json"))
        );
    }

    #[test]
    fn other_schemes_and_hosts_have_no_path() {
        assert_eq!(to_path(&uri("untitled:Untitled-1")), None);
        assert_eq!(to_path(&uri("git:/home/me/main.tf?ref=HEAD")), None);
        assert_eq!(to_path(&uri("file://server/share/main.tf")), None);
        assert_eq!(path_text("file:///bad%zz", false), None);
        assert_eq!(path_text("file:///bad%", false), None);
    }

    #[test]
    fn drive_letters_lose_their_slash_on_windows_only() {
        assert_eq!(
            path_text("file:///c%3A/Users/me/main.bicep", true).as_deref(),
            Some("c:/Users/me/main.bicep")
        );
        assert_eq!(
            path_text("file:///C:/Users/me/main.bicep", true).as_deref(),
            Some("C:/Users/me/main.bicep")
        );
        assert_eq!(path_text("file:///c%3A/x", false).as_deref(), Some("/c:/x"));
    }

    #[test]
    fn paths_encode_to_uris_and_back() {
        let path = Path::new("/home/me/my infra/été #1/main.tf");
        let encoded = from_path(path).unwrap();
        assert_eq!(
            encoded.as_str(),
            "file:///home/me/my%20infra/%C3%A9t%C3%A9%20%231/main.tf"
        );
        assert_eq!(to_path(&encoded).as_deref(), Some(path));
        assert_eq!(
            from_path(Path::new("C:\\Users\\me\\main.bicep"))
                .unwrap()
                .as_str(),
            "file:///C%3A/Users/me/main.bicep"
        );
    }
}
