//! The files the CLI reads and writes itself, outside the frontends: the configuration,
//! the baseline, the ignore files it vets, the report it writes. Reads are bounded and
//! only of regular files (a device, a FIFO or `/proc` would block or never end); writes are
//! atomic and never land on a folder or on one of the run's inputs.

use std::fs;
use std::io::{self, Read, Write as _};
use std::path::{Component, Path, PathBuf};

/// The largest configuration file read.
pub(crate) const MAX_CONFIG_SIZE: u64 = 1024 * 1024;
/// The largest baseline read (a few hundred thousand findings).
pub(crate) const MAX_BASELINE_SIZE: u64 = 64 * 1024 * 1024;
/// The largest ignore file (`.gitignore`, `.ignore`, `.isolintignore`) the walk may read.
pub(crate) const MAX_IGNORE_FILE_SIZE: u64 = 1024 * 1024;

/// Pseudo file systems whose files claim a size they do not have, or never end.
const PSEUDO_FILE_SYSTEMS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// Whether `path` may be read: it resolves to a regular file of at most `max` bytes outside
/// the pseudo file systems. The error says why not, in lower case, for a message.
pub(crate) fn check_readable(path: &Path, max: u64) -> Result<(), String> {
    let metadata = fs::metadata(path).map_err(|err| io_message(&err))?;
    if metadata.is_dir() {
        return Err("it is a folder".to_owned());
    }
    if !metadata.is_file() {
        return Err("it is not a regular file (a device, FIFO or socket)".to_owned());
    }
    if let Ok(real) = fs::canonicalize(path)
        && PSEUDO_FILE_SYSTEMS
            .iter()
            .any(|root| real.starts_with(root))
    {
        return Err(format!(
            "it is a file of `{}`, which is never read",
            real.display()
        ));
    }
    if metadata.len() > max {
        return Err(format!("it is larger than {}", size(max)));
    }
    Ok(())
}

/// Reads a text file that [`check_readable`] accepts, never more than `max` bytes of it
/// (it may have grown since). The error says why, in lower case.
pub(crate) fn read_text(path: &Path, max: u64) -> Result<String, String> {
    check_readable(path, max)?;
    let file = fs::File::open(path).map_err(|err| io_message(&err))?;
    read_bounded(file, max)
}

/// Reads at most `max` bytes of UTF-8 text from `reader` (standard input): more is an
/// error, never a wait for the end of an endless stream.
pub(crate) fn read_bounded(reader: impl Read, max: u64) -> Result<String, String> {
    let mut bytes = Vec::new();
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| io_message(&err))?;
    if bytes.len() as u64 > max {
        return Err(format!("it is larger than {}", size(max)));
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())
}

/// Why `target` cannot receive output, if it cannot: it is a folder, or it is the same
/// file as one of `inputs` (files that do not exist are never the same file).
pub(crate) fn check_target(target: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let Ok(metadata) = fs::metadata(target) else {
        return Ok(());
    };
    if metadata.is_dir() {
        return Err(format!("`{}` is a folder", target.display()));
    }
    let Ok(real) = fs::canonicalize(target) else {
        return Ok(());
    };
    if inputs
        .iter()
        .any(|input| fs::canonicalize(input).is_ok_and(|input| input == real))
    {
        return Err(format!(
            "`{}` is one of the files this run reads",
            target.display()
        ));
    }
    Ok(())
}

/// Writes `text` to `path` atomically: into a temporary file of the same folder, renamed
/// over `path` once complete, so that a reader never sees half a report and an error never
/// leaves one. A symbolic link at `path` to a file is replaced, never followed. A path that
/// is (or links to) a device, a pipe or a socket (`/dev/null`, `/dev/stdout`, a shell's
/// `>(…)`) is written to as it is: renaming over it would replace the device with a file.
pub(crate) fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    if fs::metadata(path).is_ok_and(|target| !target.is_file() && !target.is_dir()) {
        return fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(text.as_bytes());
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".isolint-").suffix(".tmp");
    // The file keeps the permissions it had, or gets those of a new file.
    match fs::symlink_metadata(path) {
        Ok(existing) if existing.is_file() => {
            builder.permissions(existing.permissions());
        }
        _ => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                builder.permissions(fs::Permissions::from_mode(0o666));
            }
        }
    }
    let mut file = builder.tempfile_in(folder)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// `path` made absolute and without `.` and `..` components, without asking the file
/// system (a `..` after a symbolic link is resolved lexically).
pub(crate) fn absolute_lexical(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// An I/O error as a message: `permission denied`, without the OS error number.
pub(crate) fn io_message(err: &io::Error) -> String {
    let text = err.to_string();
    let text = match text.rfind(" (os error ") {
        Some(end) if text.ends_with(')') => &text[..end],
        _ => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text.to_owned(),
    }
}

/// `1 MiB`, `64 MiB`, `512 KiB`.
fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_messages_lose_the_os_error_number() {
        let err = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(io_message(&err), "permission denied");
        let raw = io::Error::from_raw_os_error(2);
        assert_eq!(io_message(&raw), "no such file or directory");
    }

    #[test]
    fn lexical_paths_drop_dots() {
        let path = absolute_lexical(Path::new("a/./b/../c.json"));
        assert!(path.is_absolute());
        assert!(path.ends_with("a/c.json"), "{}", path.display());
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_never_read() {
        let zero = read_text(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(zero.contains("not a regular file"), "{zero}");
        let folder = read_text(Path::new("/"), 1024).unwrap_err();
        assert!(folder.contains("folder"), "{folder}");
    }

    /// `--output /dev/null` once replaced the device with a file (run as root, every later
    /// program reading /dev/null failed). Tested through a link to it, so that a regression
    /// replaces the link, not the device.
    #[cfg(unix)]
    #[test]
    fn a_device_is_written_to_never_replaced() {
        use std::os::unix::fs::FileTypeExt as _;
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        write_atomic(&link, "report").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    #[test]
    fn writes_replace_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, "first").unwrap();
        write_atomic(&path, "second").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "second");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        assert!(
            check_target(dir.path(), &[])
                .unwrap_err()
                .contains("folder")
        );
        assert!(check_target(&path, std::slice::from_ref(&path)).is_err());
        assert!(check_target(&dir.path().join("new.txt"), &[path]).is_ok());
    }
}
