//! Bicep module references (`br:`, `br/<alias>:`, `ts:`, `ts/<alias>:`, local paths) and
//! where the Bicep CLI keeps restored modules on disk.
//!
//! Nothing is downloaded: a registry module is readable when `bicep restore` (or `bicep
//! build`, which restores first) has put it in the module cache. The parsing and the cache
//! layout follow Azure/bicep: `Registry/ModuleDispatcher.cs` (the scheme is what precedes
//! the first `:`, an alias follows a `/`), `Registry/Oci/OciArtifactAddressComponents.cs`
//! and `OciArtifactReferenceFacts.cs` (the OCI syntax), `Modules/TemplateSpecModuleReference.cs`,
//! `ArtifactCache/OciArtifactCacheAccessor.cs`, `Registry/Oci/TagEncoder.cs` and
//! `ArtifactCache/TemplateSpecModuleCacheAccessor.cs` (the directories).
//!
//! Only `module` declarations are module references. `import … from 'br/…'` brings types
//! and exported values at compile time and never deploys anything: callers must not
//! resolve it as a module (nor report it as a module that was not followed).

use std::fmt;
use std::path::{Path, PathBuf};

use isolint_json::Json;
use isolint_model::SourceMap;
use isolint_model::source::display_name;

use crate::bicepconfig::{BicepConfig, ModuleAliases};
use crate::files;
use crate::unresolved::{Unresolved, UnresolvedCause};

/// OCI limits (`OciArtifactReferenceFacts`).
const MAX_REGISTRY_LENGTH: usize = 255;
const MAX_REPOSITORY_LENGTH: usize = 255;
const MAX_TAG_LENGTH: usize = 128;
/// Resource name limit for template spec parts (`TemplateSpecModuleReference`).
const MAX_RESOURCE_NAME_LENGTH: usize = 90;

/// The files of a restored module directory (`OciArtifactCacheAccessor`,
/// `OciModuleCacheAccessor`).
const TEMPLATE_FILE: &str = "main.json";
const MANIFEST_FILE: &str = "manifest";
const METADATA_FILE: &str = "metadata";

/// A parsed `module` path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleReference {
    /// A path relative to the Bicep file (no `:` in it).
    Local(String),
    /// A module in an OCI registry (`br:` or `br/<alias>:`), aliases applied.
    Registry(OciArtifact),
    /// A template spec (`ts:` or `ts/<alias>:`), aliases applied.
    TemplateSpec(TemplateSpec),
}

/// A registry module: `<registry>/<repository>:<tag>` or `…@<digest>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OciArtifact {
    /// The registry host, with a port if one was written (`mcr.microsoft.com`).
    pub registry: String,
    /// The repository inside it (`bicep/avm/res/storage/storage-account`).
    pub repository: String,
    /// The tag or digest.
    pub version: OciVersion,
}

/// How a registry module names its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OciVersion {
    /// A tag (`0.9.3`, `V1`): case-sensitive.
    Tag(String),
    /// A digest (`sha256:` and 64 lower-case hex digits).
    Digest(String),
}

/// A template spec version: `<subscription>/<resourceGroup>/<name>:<version>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateSpec {
    /// The subscription ID (a GUID).
    pub subscription: String,
    /// The resource group.
    pub resource_group: String,
    /// The template spec's name.
    pub name: String,
    /// The version.
    pub version: String,
}

/// What resolving a reference gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A local module: the path joined to the Bicep file's folder, normalised, not checked
    /// (the caller reads it under its own confinement and reports a missing file).
    Local(PathBuf),
    /// A module restored into the cache.
    Cached(CachedTemplate),
}

/// A restored module in the Bicep module cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedTemplate {
    /// The cached `main.json`.
    pub path: PathBuf,
    /// Where the ARM template is inside that file.
    pub layout: TemplateLayout,
    /// Whether the cache entry is complete as `bicep restore` leaves it (`manifest` and
    /// `metadata` beside `main.json`; always true for template specs). Bicep would restore
    /// an incomplete entry again; isolint reads its `main.json` anyway, since that is
    /// the whole template, and callers may say the entry is incomplete.
    pub complete: bool,
}

/// Where the ARM template sits in a cached `main.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateLayout {
    /// The file is the template (registry modules).
    Template,
    /// The file is the `TemplateSpecVersion` resource as Azure returned it; the template
    /// is its `properties.mainTemplate` (template specs).
    TemplateSpecVersion,
}

impl TemplateLayout {
    /// The ARM template inside a cached document; `None` when a template spec document has
    /// no `properties.mainTemplate` object.
    pub fn template(self, document: &Json) -> Option<&Json> {
        match self {
            Self::Template => Some(document),
            Self::TemplateSpecVersion => document
                .get("properties")?
                .get("mainTemplate")
                .filter(|template| template.members().is_some()),
        }
    }
}

impl ModuleReference {
    /// Parses a `module` path as Bicep does, applying `aliases`. A malformed reference, an
    /// unknown scheme or an undeclared alias is an [`Unresolved`] whose fix says what to
    /// change.
    pub fn parse(reference: &str, aliases: &ModuleAliases) -> Result<Self, Unresolved> {
        let Some((scheme_and_alias, rest)) = reference.split_once(':') else {
            if reference.is_empty() {
                return Err(invalid(reference, "the module path is empty"));
            }
            return Ok(Self::Local(reference.to_owned()));
        };
        let (scheme, alias) = match scheme_and_alias.split_once('/') {
            Some((scheme, alias)) => (scheme, Some(alias)),
            None => (scheme_and_alias, None),
        };
        match scheme {
            "br" => {
                let address = match alias {
                    Some(alias) => format!("{}/{rest}", oci_alias(reference, alias, aliases)?),
                    None => rest.to_owned(),
                };
                OciArtifact::parse(&address)
                    .map(Self::Registry)
                    .map_err(|why| invalid(reference, &why))
            }
            "ts" => {
                let address = match alias {
                    Some(alias) => {
                        format!("{}/{rest}", template_spec_alias(reference, alias, aliases)?)
                    }
                    None => rest.to_owned(),
                };
                TemplateSpec::parse(&address)
                    .map(Self::TemplateSpec)
                    .map_err(|why| invalid(reference, &why))
            }
            _ => Err(invalid(
                reference,
                &format!(
                    "`{scheme}` is not a module scheme (Bicep knows `br` and `ts`; a local path has no `:`)"
                ),
            )),
        }
    }
}

impl OciArtifact {
    /// Parses `<registry>/<repository>:<tag>` or `<registry>/<repository>@<digest>` (the
    /// part after `br:`, aliases already applied). The error says what is wrong.
    pub fn parse(address: &str) -> Result<Self, String> {
        let Some((registry, path)) = address.split_once('/') else {
            return Err("a registry module is written `br:<registry>/<repository>:<tag>`".into());
        };
        if registry.is_empty() || !registry.chars().all(is_registry_char) {
            return Err(format!("`{registry}` is not a registry host"));
        }
        if registry.len() > MAX_REGISTRY_LENGTH {
            return Err(format!(
                "the registry is longer than {MAX_REGISTRY_LENGTH} characters"
            ));
        }
        let (namespaces, last) = path.rsplit_once('/').unwrap_or(("", path));
        let mut repository = String::new();
        for segment in namespaces.split('/').filter(|_| !namespaces.is_empty()) {
            let segment = url_decode(segment);
            if !is_oci_namespace_segment(&segment) {
                return Err(invalid_segment(&segment));
            }
            repository.push_str(&segment);
            repository.push('/');
        }
        let delimiter = last.find([':', '@']);
        let name = url_decode(&last[..delimiter.unwrap_or(last.len())]);
        if !is_oci_namespace_segment(&name) {
            return Err(invalid_segment(&name));
        }
        repository.push_str(&name);
        if repository.len() > MAX_REPOSITORY_LENGTH {
            return Err(format!(
                "the repository is longer than {MAX_REPOSITORY_LENGTH} characters"
            ));
        }
        let missing = || "the reference has no tag (`:<tag>`) nor digest (`@sha256:…`)".to_owned();
        let Some(at) = delimiter else {
            return Err(missing());
        };
        let tag_or_digest = url_decode(&last[at + 1..]);
        if tag_or_digest.is_empty() {
            return Err(missing());
        }
        let version = if last[at..].starts_with(':') {
            if !is_oci_tag(&tag_or_digest) {
                return Err(format!(
                    "`{tag_or_digest}` is not a tag (letters, digits, `_`, `.`, `-`, at most {MAX_TAG_LENGTH}, not starting with `.` or `-`)"
                ));
            }
            OciVersion::Tag(tag_or_digest)
        } else {
            if !is_oci_digest(&tag_or_digest) {
                return Err(format!(
                    "`{tag_or_digest}` is not a digest (`sha256:` and 64 lower-case hex digits)"
                ));
            }
            OciVersion::Digest(tag_or_digest)
        };
        Ok(Self {
            registry: registry.to_owned(),
            repository,
            version,
        })
    }

    /// The module's directory in the cache: `<root>/br/<registry, lower-cased, ':' → '$'>/
    /// <repository, '/' → '$'>/<encoded tag, or digest with ':' → '#'>`.
    pub fn cache_dir(&self, cache_root: &Path) -> PathBuf {
        let version = match &self.version {
            OciVersion::Tag(tag) => encode_tag(tag),
            OciVersion::Digest(digest) => digest.replace(':', "#"),
        };
        cache_root
            .join("br")
            .join(self.registry.replace(':', "$").to_lowercase())
            .join(self.repository.replace('/', "$"))
            .join(version)
    }
}

impl TemplateSpec {
    /// Parses `<subscription>/<resourceGroup>/<name>:<version>` (the part after `ts:`,
    /// aliases already applied). The error says what is wrong.
    pub fn parse(address: &str) -> Result<Self, String> {
        let parts = address.split_once('/').and_then(|(subscription, rest)| {
            let (resource_group, rest) = rest.split_once('/')?;
            let (name, version) = rest.split_once(':')?;
            Some((subscription, resource_group, name, version))
        });
        let Some((subscription, resource_group, name, version)) = parts else {
            return Err(
                "a template spec is written `ts:<subscription>/<resourceGroup>/<name>:<version>`"
                    .into(),
            );
        };
        if !is_guid(subscription) {
            return Err(format!(
                "`{subscription}` is not a subscription ID (a GUID)"
            ));
        }
        if !is_resource_group_name(resource_group) {
            return Err(format!("`{resource_group}` is not a resource group name"));
        }
        if !is_template_spec_part(name) {
            return Err(format!("`{name}` is not a template spec name"));
        }
        if !is_template_spec_part(version) {
            return Err(format!("`{version}` is not a template spec version"));
        }
        Ok(Self {
            subscription: subscription.to_owned(),
            resource_group: resource_group.to_owned(),
            name: name.to_owned(),
            version: version.to_owned(),
        })
    }

    /// The spec's directory in the cache:
    /// `<root>/ts/<subscription>/<resourceGroup>/<name>/<version>`, all lower-cased.
    pub fn cache_dir(&self, cache_root: &Path) -> PathBuf {
        let relative = format!(
            "ts/{}/{}/{}/{}",
            self.subscription, self.resource_group, self.name, self.version
        )
        .to_lowercase();
        cache_root.join(relative)
    }
}

impl fmt::Display for ModuleReference {
    /// The fully qualified reference, aliases expanded (`br:mcr.microsoft.com/bicep/…:1.0`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local(path) => f.write_str(path),
            Self::Registry(artifact) => match &artifact.version {
                OciVersion::Tag(tag) => {
                    write!(f, "br:{}/{}:{tag}", artifact.registry, artifact.repository)
                }
                OciVersion::Digest(digest) => {
                    write!(
                        f,
                        "br:{}/{}@{digest}",
                        artifact.registry, artifact.repository
                    )
                }
            },
            Self::TemplateSpec(spec) => write!(
                f,
                "ts:{}/{}/{}:{}",
                spec.subscription, spec.resource_group, spec.name, spec.version
            ),
        }
    }
}

/// Resolves the `module` path `reference` written in `bicep_file`: a local path, or the
/// restored module in the cache of `config`. Only existence is checked; nothing is read.
/// A module missing from the cache is [`UnresolvedCause::NotRestored`], with the expected
/// `main.json` and the `bicep restore` command that fills the cache.
pub fn resolve(
    reference: &str,
    bicep_file: &Path,
    config: &BicepConfig,
    sources: &SourceMap,
) -> Result<Resolved, Unresolved> {
    let parsed = ModuleReference::parse(reference, &config.module_aliases)?;
    let (dir, layout) = match &parsed {
        ModuleReference::Local(path) => {
            let folder = bicep_file.parent().unwrap_or(Path::new(""));
            return Ok(Resolved::Local(isolint_model::source::normalize(
                &folder.join(path),
            )));
        }
        ModuleReference::Registry(artifact) => (
            artifact.cache_dir(cache_root(reference, config)?),
            TemplateLayout::Template,
        ),
        ModuleReference::TemplateSpec(spec) => (
            spec.cache_dir(cache_root(reference, config)?),
            TemplateLayout::TemplateSpecVersion,
        ),
    };
    let path = dir.join(TEMPLATE_FILE);
    if !files::is_file(sources, &path) {
        return Err(Unresolved {
            cause: UnresolvedCause::NotRestored,
            reason: format!("module `{reference}` is not in the Bicep module cache"),
            fix: format!("run `bicep restore {}`", display_name(bicep_file)),
            expected: Some(path),
        });
    }
    let complete = layout == TemplateLayout::TemplateSpecVersion
        || [MANIFEST_FILE, METADATA_FILE]
            .iter()
            .all(|name| files::is_file(sources, &dir.join(name)));
    Ok(Resolved::Cached(CachedTemplate {
        path,
        layout,
        complete,
    }))
}

/// The cache root of `config`, or why there is none.
fn cache_root<'c>(reference: &str, config: &'c BicepConfig) -> Result<&'c Path, Unresolved> {
    config.cache_root.as_deref().ok_or_else(|| Unresolved {
        cause: UnresolvedCause::NoCache,
        reason: format!(
            "module `{reference}` would be read from the Bicep module cache, but there is none: the home directory is unknown"
        ),
        fix: "pass `--bicep-cache DIR`, or set `cacheRootDirectory` in bicepconfig.json".to_owned(),
        expected: None,
    })
}

/// `TagEncoder.Encode`: the tag, `$`, and the bit mask of its upper-case positions in
/// lower-case hex without leading zeros (nothing when there is none), so that tags that
/// differ only in case get different directories on case-insensitive file systems.
/// `v1` → `v1$`, `V1` → `V1$1`, `AbCd` → `AbCd$5`.
pub fn encode_tag(tag: &str) -> String {
    // Tags are at most 128 characters, so the mask fits in a u128; its hex digits are
    // exactly those of Bicep's two 64-bit halves, the high one without leading zeros.
    let mask = tag
        .chars()
        .take(MAX_TAG_LENGTH)
        .enumerate()
        .filter(|(_, c)| c.is_uppercase())
        .fold(0u128, |mask, (i, _)| mask | (1u128 << i));
    if mask == 0 {
        format!("{tag}$")
    } else {
        format!("{tag}${mask:x}")
    }
}

fn oci_alias(reference: &str, alias: &str, aliases: &ModuleAliases) -> Result<String, Unresolved> {
    check_alias_name(reference, alias)?;
    let entry = aliases.br.get(alias).ok_or_else(|| {
        unknown_alias(
            reference,
            &format!("the alias `br/{alias}` is not declared"),
            "br",
        )
    })?;
    let registry = entry.registry.as_deref().ok_or_else(|| {
        unknown_alias(
            reference,
            &format!("the alias `br/{alias}` has no `registry`"),
            "br",
        )
    })?;
    Ok(match &entry.module_path {
        Some(path) => format!("{registry}/{path}"),
        None => registry.to_owned(),
    })
}

fn template_spec_alias(
    reference: &str,
    alias: &str,
    aliases: &ModuleAliases,
) -> Result<String, Unresolved> {
    check_alias_name(reference, alias)?;
    let entry = aliases.ts.get(alias).ok_or_else(|| {
        unknown_alias(
            reference,
            &format!("the alias `ts/{alias}` is not declared"),
            "ts",
        )
    })?;
    let (Some(subscription), Some(resource_group)) = (&entry.subscription, &entry.resource_group)
    else {
        return Err(unknown_alias(
            reference,
            &format!("the alias `ts/{alias}` needs a `subscription` and a `resourceGroup`"),
            "ts",
        ));
    };
    Ok(format!("{subscription}/{resource_group}"))
}

/// Alias names are letters, digits, `-` and `_` (`ModuleAliasesConfiguration`).
fn check_alias_name(reference: &str, alias: &str) -> Result<(), Unresolved> {
    let valid = !alias.is_empty()
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(invalid(
            reference,
            &format!("`{alias}` is not an alias name (letters, digits, `-`, `_`)"),
        ))
    }
}

fn unknown_alias(reference: &str, why: &str, scheme: &str) -> Unresolved {
    Unresolved {
        cause: UnresolvedCause::UnknownAlias,
        reason: format!("module `{reference}` cannot be resolved: {why}"),
        fix: format!("declare it under `moduleAliases.{scheme}` in bicepconfig.json"),
        expected: None,
    }
}

fn invalid(reference: &str, why: &str) -> Unresolved {
    Unresolved {
        cause: UnresolvedCause::InvalidReference,
        reason: format!("`{reference}` is not a valid module reference: {why}"),
        fix: "correct the module path".to_owned(),
        expected: None,
    }
}

fn invalid_segment(segment: &str) -> String {
    format!(
        "`{segment}` is not a repository path segment (lower-case letters and digits, separated by single `.`, `_` or `-`)"
    )
}

/// What a URI authority may hold: host names, IPv4, `[IPv6]`, `:port`.
fn is_registry_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']')
}

/// `^[a-z0-9]+([._-][a-z0-9]+)*$`
fn is_oci_namespace_segment(segment: &str) -> bool {
    let is_word = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    segment.split(['.', '_', '-']).all(is_word)
}

/// `^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`
fn is_oci_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    tag.len() <= MAX_TAG_LENGTH
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// `^sha256:[a-f0-9]{64}$`
fn is_oci_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// A GUID as .NET's `Guid.TryParse` reads one: 32 hex digits, bare or hyphenated
/// 8-4-4-4-12, optionally in braces or parentheses.
fn is_guid(text: &str) -> bool {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix('(').and_then(|t| t.strip_suffix(')')))
        .unwrap_or(text);
    let groups: Vec<&str> = inner.split('-').collect();
    let lengths: &[usize] = if groups.len() == 1 {
        &[32]
    } else {
        &[8, 4, 4, 4, 12]
    };
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(group, &len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// 1 to 90 letters, digits, `-`, `_`, `.`, `(`, `)`, not ending with `.`.
fn is_resource_group_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= MAX_RESOURCE_NAME_LENGTH
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
}

/// `^[-\w\.\(\)]{0,89}[-\w\(\)]$`: template spec names and versions.
fn is_template_spec_part(part: &str) -> bool {
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '(' | ')');
    !part.is_empty()
        && part.chars().count() <= MAX_RESOURCE_NAME_LENGTH
        && part.chars().all(|c| allowed(c) || c == '.')
        && part.chars().last().is_some_and(allowed)
}

/// Percent-decoding as `HttpUtility.UrlDecode` does it (`%XX`, and `+` for a space).
fn url_decode(text: &str) -> String {
    if !text.contains(['%', '+']) {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = (byte == b'%')
            .then(|| std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok())
            .flatten()
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (escaped, byte) {
            (Some(decoded), _) => {
                out.push(decoded);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, other) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
