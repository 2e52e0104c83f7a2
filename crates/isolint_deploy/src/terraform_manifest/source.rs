//! Terraform module source addresses in the normal form `terraform init` records in
//! `modules.json`, so that a configuration's `source` can be compared with the record.
//!
//! hashicorp/terraform `internal/getmodules/moduleaddrs/source_parsing.go`: a local path
//! (`./`, `../`) is cleaned; a registry address (`[host/]namespace/name/system[//subdir]`)
//! gains the default host `registry.terraform.io`; anything else is a remote address
//! whose shorthands (`github.com/…`, `git@host:…`, `bitbucket.org/…`) expand to
//! `git::https://…` or `git::ssh://…` URLs (`detect_git.go`,
//! `detect_remote_shorthands.go`), with the `//subdir` placed before the query string.

/// The registry a short registry address means.
const DEFAULT_REGISTRY_HOST: &str = "registry.terraform.io";

/// Hosts whose addresses look like registry addresses but are git shorthands
/// (terraform-registry-address refuses them as registry hosts).
const GIT_SHORTHAND_HOSTS: [&str; 2] = ["github.com", "bitbucket.org"];

pub use isolint_terraform::is_local_source;

/// `source` in the form `terraform init` records it in `modules.json`.
pub fn normalize_source(source: &str) -> String {
    if is_local_source(source) {
        let clean = clean_path(&source.replace('\\', "/"));
        return if clean.starts_with("../") {
            clean
        } else {
            format!("./{clean}")
        };
    }
    registry_address(source).unwrap_or_else(|| remote_address(source))
}

/// A registry address with its host, or `None` when `source` is not one.
fn registry_address(source: &str) -> Option<String> {
    let (package, subdir) = split_package_subdir(source);
    if subdir.starts_with("../") {
        return None;
    }
    let parts: Vec<&str> = package.split('/').collect();
    let (host, rest) = match parts.as_slice() {
        [namespace, name, system] => (
            DEFAULT_REGISTRY_HOST.to_owned(),
            [*namespace, *name, *system],
        ),
        [host, namespace, name, system] => {
            let host = host.to_lowercase();
            if !is_host(&host) || GIT_SHORTHAND_HOSTS.contains(&host.as_str()) {
                return None;
            }
            (host, [*namespace, *name, *system])
        }
        _ => return None,
    };
    let [namespace, name, system] = rest;
    if !is_registry_name(namespace) || !is_registry_name(name) || !is_registry_system(system) {
        return None;
    }
    let mut address = format!("{host}/{namespace}/{name}/{system}");
    if !subdir.is_empty() {
        address.push_str("//");
        address.push_str(&subdir);
    }
    Some(address)
}

/// A remote (go-getter) address with its shorthands expanded.
fn remote_address(source: &str) -> String {
    let (package, mut subdir) = split_package_subdir(source);
    let (mut forced, rest) = split_forced_getter(&package);
    let mut url = rest.to_owned();
    if !has_url_scheme(rest)
        && let Some((detected, detected_subdir)) = expand_shorthand(rest)
    {
        url = detected;
        forced = forced.or(Some("git"));
        if let Some(detected_subdir) = detected_subdir {
            subdir = if subdir.is_empty() {
                detected_subdir
            } else {
                clean_path(&format!("{detected_subdir}/{subdir}"))
            };
        }
    }
    let (base, query) = split_query(&url);
    let mut address = forced.map_or_else(String::new, |getter| format!("{getter}::"));
    address.push_str(base);
    if !subdir.is_empty() {
        address.push_str("//");
        address.push_str(&subdir);
    }
    if let Some(query) = query {
        address.push('?');
        address.push_str(query);
    }
    address
}

/// go-getter's `SourceDirSubdir`: splits `pkg//subdir?query` into `pkg?query` and
/// `subdir`, skipping the `//` of a `scheme://`.
fn split_package_subdir(source: &str) -> (String, String) {
    let stop = source.find('?').unwrap_or(source.len());
    let offset = source[..stop].find("://").map_or(0, |i| i + 3);
    let Some(at) = source[offset..stop].find("//").map(|i| i + offset) else {
        return (source.to_owned(), String::new());
    };
    let mut package = source[..at].to_owned();
    let mut subdir = source[at + 2..].to_owned();
    if let Some(query_at) = subdir.find('?') {
        package.push_str(&subdir[query_at..]);
        subdir.truncate(query_at);
    }
    (package, subdir)
}

/// `git::https://…` → (`Some("git")`, `https://…`).
fn split_forced_getter(source: &str) -> (Option<&str>, &str) {
    match source.split_once("::") {
        Some((getter, rest))
            if !getter.is_empty()
                && !rest.is_empty()
                && getter.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            (Some(getter), rest)
        }
        _ => (None, source),
    }
}

/// Whether `source` starts with a URL scheme (`https:`, `s3:`), as Go's `url.Parse` sees it.
fn has_url_scheme(source: &str) -> bool {
    source.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    })
}

/// The git shorthands: the URL they stand for, and a subdirectory they imply.
fn expand_shorthand(source: &str) -> Option<(String, Option<String>)> {
    if let Some(rest) = source.strip_prefix("github.com/") {
        let (path, query) = split_query(rest);
        let parts: Vec<&str> = path.split('/').collect();
        let [owner, repository, subdir @ ..] = parts.as_slice() else {
            return None;
        };
        let url = git_https_url(&format!("github.com/{owner}/{repository}"), query);
        let subdir = (!subdir.is_empty()).then(|| subdir.join("/"));
        return Some((url, subdir));
    }
    if source.starts_with("bitbucket.org/") {
        let (path, query) = split_query(source);
        return Some((git_https_url(path, query), None));
    }
    // SCP-like `git@host:path` (only the user `git` means git).
    let (user, rest) = source.split_once('@')?;
    let (host, path) = rest.split_once(':')?;
    if user != "git" || host.is_empty() || host.contains('/') {
        return None;
    }
    let path = path.strip_prefix('/').unwrap_or(path);
    (!path.is_empty()).then(|| (format!("ssh://git@{host}/{path}"), None))
}

/// `text` split at its first `?` into the part before and the query.
fn split_query(text: &str) -> (&str, Option<&str>) {
    match text.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (text, None),
    }
}

/// `https://<host and path>.git?<query>`, the URL a git shorthand stands for.
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "Terraform's detectors add `.git` unless the path ends with exactly `.git`"
)]
fn git_https_url(host_and_path: &str, query: Option<&str>) -> String {
    let mut url = format!("https://{host_and_path}");
    if !url.ends_with(".git") {
        url.push_str(".git");
    }
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Go's `path.Clean` for `/`-separated paths.
fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// A host name (with an optional port).
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
}

/// A registry namespace or module name: `^[0-9A-Za-z](?:[0-9A-Za-z-_]{0,62}[0-9A-Za-z])?$`.
fn is_registry_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    (1..=64).contains(&bytes.len())
        && edge(bytes.first())
        && edge(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// A registry target system (provider name): `^[0-9a-z]{1,64}$`.
fn is_registry_system(system: &str) -> bool {
    (1..=64).contains(&system.len())
        && system
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_normalize_as_terraform_records_them() {
        for (source, recorded) in [
            ("./modules/net", "./modules/net"),
            ("./modules//net/", "./modules/net"),
            (".\\modules\\net", "./modules/net"),
            ("../shared/./net", "../shared/net"),
            (
                "Azure/avm-res-machinelearningservices-workspace/azurerm",
                "registry.terraform.io/Azure/avm-res-machinelearningservices-workspace/azurerm",
            ),
            (
                "Registry.Terraform.io/Azure/x/azurerm",
                "registry.terraform.io/Azure/x/azurerm",
            ),
            (
                "app.terraform.io/contoso/net/azurerm//modules/vnet",
                "app.terraform.io/contoso/net/azurerm//modules/vnet",
            ),
            (
                "github.com/contoso/modules//aml?ref=v1.2.0",
                "git::https://github.com/contoso/modules.git//aml?ref=v1.2.0",
            ),
            (
                "github.com/contoso/modules/aml",
                "git::https://github.com/contoso/modules.git//aml",
            ),
            (
                "git@github.com:contoso/modules.git//aml?ref=v1",
                "git::ssh://git@github.com/contoso/modules.git//aml?ref=v1",
            ),
            (
                "bitbucket.org/contoso/modules",
                "git::https://bitbucket.org/contoso/modules.git",
            ),
            (
                "git::https://dev.azure.com/contoso/infra/_git/modules//aml?ref=v2",
                "git::https://dev.azure.com/contoso/infra/_git/modules//aml?ref=v2",
            ),
            (
                "https://example.com/modules/aml.zip",
                "https://example.com/modules/aml.zip",
            ),
        ] {
            assert_eq!(normalize_source(source), recorded, "{source}");
            // What Terraform recorded normalizes to itself.
            assert_eq!(normalize_source(recorded), recorded, "{recorded}");
        }
    }

    #[test]
    fn local_sources_are_recognised_with_either_separator() {
        assert!(is_local_source("./x"));
        assert!(is_local_source("..\\x"));
        assert!(!is_local_source("Azure/x/azurerm"));
        assert!(!is_local_source(".terraform/x"));
    }
}
