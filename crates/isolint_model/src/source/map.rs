//! The [`SourceMap`]: every file a run reads, and the only way frontends reach the disk.
//!
//! Files are keyed by their [`normalize`]d path in a hash map beside the list that gives
//! them their [`FileId`]s, both under one lock, so that two frontends reading the same file
//! on two threads get one id. Every existence check, directory listing and read goes
//! through the map, which applies the rules of [`Project`] confinement, refuses what is not
//! a regular file, and never reads more than [`MAX_FILE_SIZE`] bytes.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::project::{Confinement, Placement, is_system_path};
use super::{
    FileId, LineIndex, PathKind, Project, Refusal, SourceFile, Span, display_name, normalize,
};
use crate::diagnostic::Diagnostic;

/// The largest file isolint reads, whatever its kind: exports of estates with 100,000
/// resources are about 150 MB of JSON.
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// Everything under the map's one lock.
#[derive(Debug, Default)]
struct Files {
    /// By id.
    list: Vec<Arc<SourceFile>>,
    /// The id of each normalized path (the latest file added at that path).
    by_path: FxHashMap<PathBuf, FileId>,
    /// Normalized paths whose text was preloaded: they exist, whatever the disk says.
    preloaded: FxHashSet<PathBuf>,
    /// Every folder above a preloaded path, so that a map that reads only preloaded texts
    /// can answer [`SourceMap::kind`] and [`SourceMap::list_dir`] for them.
    preloaded_folders: FxHashSet<PathBuf>,
    /// Texts [`offer`](SourceMap::offer)ed and not read yet: preloaded, but not among the
    /// files until something reads them.
    offered: FxHashMap<PathBuf, Arc<str>>,
}

/// Every file read during a run, and the gateway through which frontends read them. Files
/// are only ever added, so a [`FileId`] stays valid; frontends running on several threads
/// share one map.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: RwLock<Files>,
    /// `None`: unconfined (tests and tools); non-regular files are refused all the same.
    confinement: Option<Confinement>,
    /// Set by [`SourceMap::only_preloaded`]: the disk is read under module caches only.
    only_preloaded: bool,
    /// Folders found to be module caches during the run (`.terraform/modules`), canonical:
    /// their files are [`hidden`](SourceFile::hidden), and no more readable than before.
    hidden_folders: RwLock<Vec<PathBuf>>,
}

/// Bytes read from the disk, and whether they came from a module cache.
struct Loaded {
    bytes: Vec<u8>,
    hidden: bool,
}

impl SourceMap {
    /// An unconfined map: any regular file may be read.
    pub fn new() -> Self {
        Self::default()
    }

    /// A map that reads only inside `project` (see [`Project`]).
    pub fn confined(project: Project) -> Self {
        Self {
            files: RwLock::default(),
            confinement: Some(Confinement::new(project)),
            only_preloaded: false,
            hidden_folders: RwLock::default(),
        }
    }

    /// The same map, serving only the texts [`preload`](Self::preload)ed or
    /// [`offer`](Self::offer)ed to it (the files of a git revision, laid at the paths they
    /// have in the work tree) and, from the disk, only files under the module caches of its
    /// [`Project`]. Every other path is missing: a revision's templates never meet the work
    /// tree's files.
    #[must_use]
    pub fn only_preloaded(mut self) -> Self {
        self.only_preloaded = true;
        self
    }

    /// Marks `folder` as a module cache found during the run (a Terraform root module's
    /// `.terraform/modules`): files read from under it from now on are
    /// [`hidden`](SourceFile::hidden). Unlike a [`Project`] cache, it grants no access: a
    /// file under it is read only if it could be read anyway.
    pub fn hide(&self, folder: &Path) {
        let canonical = std::fs::canonicalize(folder).unwrap_or_else(|_| normalize(folder));
        let mut folders = self
            .hidden_folders
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if !folders.contains(&canonical) {
            folders.push(canonical);
        }
    }

    /// Whether files read from `canonical` are hidden: it lies in a folder marked by
    /// [`hide`](Self::hide).
    fn in_hidden_folder(&self, canonical: &Path) -> bool {
        self.hidden_folders
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|folder| canonical.starts_with(folder))
    }

    /// The project this map is confined to, if any.
    pub fn project(&self) -> Option<&Project> {
        self.confinement.as_ref().map(|c| &c.project)
    }

    /// Adds a text that no file holds (a configuration already read, a `--var` value) and
    /// returns it with its new id. Adding at a path that is in the map gives a new file
    /// that later look-ups find; [`read`](Self::read) returns it too, but, unlike
    /// [`preload`](Self::preload), it does not make the path exist for
    /// [`kind`](Self::kind) and [`list_dir`](Self::list_dir).
    pub fn add(&self, path: &Path, text: Arc<str>) -> Arc<SourceFile> {
        self.insert(normalize(path), text, false, Insert::Always)
    }

    /// Puts `text` in the map as the content of `path` (standard input, an editor's unsaved
    /// buffer): it wins over the disk, and the path counts as an existing file.
    pub fn preload(&self, path: &Path, text: Arc<str>) -> Arc<SourceFile> {
        let key = normalize(path);
        let mut files = self.write();
        Self::mark_preloaded(&mut files, &key);
        Self::push(&mut files, key, text, false)
    }

    /// Like [`preload`](Self::preload), but the text joins the map's
    /// [`files`](Self::files) only when something reads it: a git revision offers every
    /// file it holds, and the run's outputs list only those it read.
    pub fn offer(&self, path: &Path, text: Arc<str>) {
        let key = normalize(path);
        let mut files = self.write();
        Self::mark_preloaded(&mut files, &key);
        files.offered.insert(key, text);
    }

    fn mark_preloaded(files: &mut Files, key: &Path) {
        for folder in key.ancestors().skip(1) {
            if !files.preloaded_folders.insert(folder.to_path_buf()) {
                break;
            }
        }
        files.preloaded.insert(key.to_path_buf());
    }

    /// The file with this id, if the id came from this map.
    pub fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        self.read_lock().list.get(id.0 as usize).cloned()
    }

    /// The file in the map at `path` (read, added or preloaded), if any.
    pub fn find(&self, path: &Path) -> Option<Arc<SourceFile>> {
        self.find_normalized(&normalize(path))
    }

    /// All files, in the order they were added.
    pub fn files(&self) -> Vec<Arc<SourceFile>> {
        self.read_lock().list.clone()
    }

    /// What `path` is, as frontends may see it: a preloaded text is a file; anything a
    /// confined map would refuse to read is [`PathKind::Refused`].
    pub fn kind(&self, path: &Path) -> PathKind {
        let key = normalize(path);
        {
            let files = self.read_lock();
            if files.preloaded.contains(&key) {
                return PathKind::File;
            }
            if self.only_preloaded && files.preloaded_folders.contains(&key) {
                return PathKind::Folder;
            }
        }
        match self.inspect(&key) {
            Ok((_, metadata, _)) if metadata.is_dir() => PathKind::Folder,
            Ok(_) => PathKind::File,
            Err(Inspected::Missing(_)) => PathKind::Missing,
            Err(Inspected::Refused(refusal)) => PathKind::Refused(refusal),
        }
    }

    /// Whether `path` is a file that [`read`](Self::read) would read (or a preloaded text).
    pub fn is_file(&self, path: &Path) -> bool {
        self.kind(path) == PathKind::File
    }

    /// The entries of folder `path` (files and folders, preloaded files included), as
    /// [`normalize`]d paths below it, sorted. A missing folder has no entries; a refused
    /// one or one that cannot be listed gives a diagnostic.
    pub fn list_dir(&self, path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
        let key = normalize(path);
        let mut entries: Vec<PathBuf> = {
            let files = self.read_lock();
            let folders = files
                .preloaded_folders
                .iter()
                .filter(|_| self.only_preloaded);
            files
                .preloaded
                .iter()
                .chain(folders)
                .filter(|p| p.parent() == Some(key.as_path()))
                .cloned()
                .collect()
        };
        match self.kind(&key) {
            // A folder of preloaded texts only: the disk is not listed.
            PathKind::Folder if self.only_preloaded && self.inspect(&key).is_err() => {}
            PathKind::Folder => {
                let listed = std::fs::read_dir(&key).map_err(|e| io_error(&key, &e))?;
                entries.extend(
                    listed
                        .filter_map(Result::ok)
                        .map(|entry| key.join(entry.file_name())),
                );
            }
            PathKind::Missing => {}
            PathKind::File => {
                return Err(Diagnostic::error(
                    "io-error",
                    "cannot list the folder: it is a file",
                    &key,
                ));
            }
            PathKind::Refused(refusal) => return Err(refusal.diagnostic(&key)),
        }
        entries.sort();
        entries.dedup();
        Ok(entries)
    }

    /// Reads `path` into the map, or returns it if it is there already (read, added or
    /// preloaded). A file that is refused (see [`Project`]), cannot be read, is larger than
    /// [`MAX_FILE_SIZE`] or is not UTF-8 gives a diagnostic (located at the first bad byte
    /// for UTF-8). No more than [`MAX_FILE_SIZE`] bytes are ever read, whatever the file
    /// system says of the size. Two threads reading one path get one file.
    pub fn read(&self, path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
        let key = normalize(path);
        if let Some(file) = self.find_normalized(&key) {
            return Ok(file);
        }
        if let Some(text) = self.offered(&key) {
            return Ok(self.insert(key, text, false, Insert::IfAbsent));
        }
        let loaded = self.load(&key)?;
        match String::from_utf8(loaded.bytes) {
            Ok(text) => Ok(self.insert(key, text.into(), loaded.hidden, Insert::IfAbsent)),
            Err(error) => {
                let at = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let file = self.insert(key.clone(), lossy.into(), loaded.hidden, Insert::IfAbsent);
                Err(
                    Diagnostic::error("encoding-error", "the file is not valid UTF-8", &key)
                        .at(Span::new(file.id, at, at + 1)),
                )
            }
        }
    }

    /// The text of `path` without adding it to the map, for a look at a file that may not
    /// be analysed (is this JSON compiled from Bicep?). The same checks and limits as
    /// [`read`](Self::read); the text of a file in the map when it is there.
    pub fn peek(&self, path: &Path) -> Result<Arc<str>, Diagnostic> {
        let key = normalize(path);
        if let Some(file) = self.find_normalized(&key) {
            return Ok(Arc::clone(&file.text));
        }
        if let Some(text) = self.offered(&key) {
            return Ok(text);
        }
        let loaded = self.load(&key)?;
        String::from_utf8(loaded.bytes)
            .map(Arc::from)
            .map_err(|_| Diagnostic::error("encoding-error", "the file is not valid UTF-8", &key))
    }

    fn offered(&self, key: &Path) -> Option<Arc<str>> {
        self.read_lock().offered.get(key).cloned()
    }

    fn find_normalized(&self, key: &Path) -> Option<Arc<SourceFile>> {
        let files = self.read_lock();
        let id = files.by_path.get(key)?;
        files.list.get(id.0 as usize).cloned()
    }

    /// Adds a file at `key` under the write lock; with [`Insert::IfAbsent`], a file that
    /// another thread put there meanwhile is returned instead.
    fn insert(&self, key: PathBuf, text: Arc<str>, hidden: bool, mode: Insert) -> Arc<SourceFile> {
        let mut files = self.write();
        if mode == Insert::IfAbsent
            && let Some(existing) = files
                .by_path
                .get(&key)
                .and_then(|id| files.list.get(id.0 as usize))
        {
            return Arc::clone(existing);
        }
        Self::push(&mut files, key, text, hidden)
    }

    fn push(files: &mut Files, key: PathBuf, text: Arc<str>, hidden: bool) -> Arc<SourceFile> {
        let id = FileId(u32::try_from(files.list.len()).unwrap_or(u32::MAX));
        let file = Arc::new(SourceFile {
            id,
            name: display_name(&key),
            lines: LineIndex::new(&text),
            path: key.clone(),
            text,
            hidden,
        });
        files.list.push(Arc::clone(&file));
        files.by_path.insert(key, id);
        file
    }

    /// The canonical path and metadata of `key`, once it passed every check but the
    /// file-or-folder one, and where it lies.
    fn inspect(&self, key: &Path) -> Result<(PathBuf, std::fs::Metadata, Placement), Inspected> {
        if is_system_path(key) {
            return Err(Inspected::Refused(Refusal::NotRegularFile));
        }
        let canonical = std::fs::canonicalize(key).map_err(Inspected::Missing)?;
        if is_system_path(&canonical) {
            return Err(Inspected::Refused(Refusal::NotRegularFile));
        }
        let placement = match &self.confinement {
            Some(confinement) => confinement.place(&canonical).map_err(Inspected::Refused)?,
            None => Placement::Project,
        };
        if self.only_preloaded && placement != Placement::Cache {
            return Err(Inspected::Missing(std::io::ErrorKind::NotFound.into()));
        }
        let metadata = std::fs::metadata(&canonical).map_err(Inspected::Missing)?;
        if !metadata.is_file() && !metadata.is_dir() {
            return Err(Inspected::Refused(Refusal::NotRegularFile));
        }
        Ok((canonical, metadata, placement))
    }

    /// Reads the bytes of `key` from the disk, checks first.
    fn load(&self, key: &Path) -> Result<Loaded, Diagnostic> {
        let (canonical, metadata, placement) = self.inspect(key).map_err(|e| match e {
            Inspected::Missing(error) => io_error(key, &error),
            Inspected::Refused(refusal) => refusal.diagnostic(key),
        })?;
        if metadata.is_dir() {
            return Err(Diagnostic::error(
                "io-error",
                "cannot read the file: it is a folder",
                key,
            ));
        }
        if metadata.len() > MAX_FILE_SIZE {
            return Err(too_large(key));
        }
        let file = std::fs::File::open(&canonical).map_err(|e| io_error(key, &e))?;
        // The file opened may not be the one inspected (it was replaced in between): only
        // a regular file is read.
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(Refusal::NotRegularFile.diagnostic(key));
        }
        let mut bytes = Vec::new();
        file.take(MAX_FILE_SIZE.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(key, &e))?;
        if bytes.len() as u64 > MAX_FILE_SIZE {
            return Err(too_large(key));
        }
        Ok(Loaded {
            bytes,
            hidden: placement == Placement::Cache || self.in_hidden_folder(&canonical),
        })
    }

    fn read_lock(&self) -> std::sync::RwLockReadGuard<'_, Files> {
        self.files.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Files> {
        self.files.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether an insertion replaces the file at its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Insert {
    /// Always add a new file (added texts).
    Always,
    /// Keep the file already there (reads racing on one path).
    IfAbsent,
}

/// Why [`SourceMap::inspect`] stopped.
enum Inspected {
    Missing(std::io::Error),
    Refused(Refusal),
}

fn io_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error("io-error", format!("cannot read the file: {error}"), path)
}

fn too_large(path: &Path) -> Diagnostic {
    Diagnostic::error(
        "io-error",
        format!(
            "the file is larger than {} MiB",
            MAX_FILE_SIZE / (1024 * 1024)
        ),
        path,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn one_path_one_file_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/main.json");
        write(&path, "{}");
        let map = SourceMap::new();
        let first = map.read(&path).unwrap();
        let again = map.read(&dir.path().join("a/../a/./main.json")).unwrap();
        assert_eq!(first.id, again.id);
        assert_eq!(map.files().len(), 1);
        assert!(!first.name.contains(".."), "{}", first.name);
    }

    #[test]
    fn parallel_reads_of_one_path_give_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.tf");
        write(&path, "x = 1");
        let map = SourceMap::new();
        let ids: Vec<FileId> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| map.read(&path).unwrap().id))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
        assert_eq!(map.files().len(), 1);
    }

    #[test]
    fn a_preloaded_text_wins_over_the_disk_and_exists() {
        let dir = tempfile::tempdir().unwrap();
        let on_disk = dir.path().join("main.bicep");
        write(&on_disk, "disk");
        let map = SourceMap::confined(Project::new(dir.path()));
        map.preload(&on_disk, "buffer".into());
        assert_eq!(&*map.read(&on_disk).unwrap().text, "buffer");

        let unsaved = dir.path().join("new.bicep");
        map.preload(&unsaved, "new".into());
        assert!(map.is_file(&unsaved));
        assert_eq!(map.kind(&unsaved), PathKind::File);
        let listed = map.list_dir(dir.path()).unwrap();
        assert!(listed.contains(&normalize(&unsaved)), "{listed:?}");
        assert!(listed.contains(&normalize(&on_disk)), "{listed:?}");
        assert_eq!(&*map.read(&unsaved).unwrap().text, "new");
    }

    #[test]
    fn a_map_of_preloaded_texts_only_never_reads_the_work_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let cache = dir.path().join("cache");
        write(&root.join("infra/main.bicep"), "work tree");
        write(&root.join("infra/other.bicep"), "work tree only");
        write(&cache.join("br/module.json"), "{}");
        let map = SourceMap::confined(Project::new(&root).with_cache(&cache)).only_preloaded();
        map.preload(&root.join("infra/main.bicep"), "revision".into());
        map.offer(&root.join("infra/modules/m.bicep"), "module".into());
        map.offer(&root.join("docs/unread.json"), "{}".into());

        assert_eq!(
            &*map.read(&root.join("infra/main.bicep")).unwrap().text,
            "revision"
        );
        let other = root.join("infra/other.bicep");
        assert_eq!(map.kind(&other), PathKind::Missing);
        assert!(map.read(&other).is_err() && map.peek(&other).is_err());
        assert_eq!(map.kind(&root.join("infra/modules")), PathKind::Folder);
        assert_eq!(map.kind(&root), PathKind::Folder);
        assert_eq!(
            map.list_dir(&root.join("infra")).unwrap(),
            [root.join("infra/main.bicep"), root.join("infra/modules")]
        );
        // An offered text is a file, but joins the files only once read.
        let module = root.join("infra/modules/m.bicep");
        assert_eq!(map.kind(&module), PathKind::File);
        assert_eq!(&*map.peek(&module).unwrap(), "module");
        assert_eq!(map.files().len(), 1);
        assert_eq!(&*map.read(&module).unwrap().text, "module");
        assert_eq!(map.files().len(), 2);
        // Module caches are still read from the disk, hidden.
        assert!(map.read(&cache.join("br/module.json")).unwrap().hidden);
        assert!(map.files().iter().all(|f| !f.text.contains("work tree")));
        assert!(map.find(&root.join("docs/unread.json")).is_none());
    }

    #[test]
    fn an_added_text_does_not_make_a_file_exist() {
        let map = SourceMap::new();
        let path = Path::new("/nonexistent/isolint/--var x");
        map.add(path, "x = 1".into());
        assert_eq!(map.kind(path), PathKind::Missing);
        assert_eq!(&*map.read(path).unwrap().text, "x = 1");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_root_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        let outside = dir.path().join("outside");
        write(&outside.join("secret.bicep"), "secret text");
        write(&root.join("main.bicep"), "inside");
        std::os::unix::fs::symlink(&outside, root.join("modules")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.bicep"), root.join("link.bicep")).unwrap();

        let map = SourceMap::confined(Project::new(&root));
        assert!(map.read(&root.join("main.bicep")).is_ok());
        for refused in [
            root.join("modules/secret.bicep"),
            root.join("link.bicep"),
            root.join("../outside/secret.bicep"),
            outside.join("secret.bicep"),
        ] {
            let error = map.read(&refused).unwrap_err();
            assert!(
                error
                    .message
                    .contains("outside the project root: not followed"),
                "{refused:?}: {}",
                error.message
            );
            assert!(!error.message.contains("secret text"));
            assert_eq!(map.kind(&refused), PathKind::Refused(Refusal::OutsideRoot));
            assert!(!map.is_file(&refused));
        }
        assert!(map.list_dir(&root.join("modules")).is_err());
        assert!(map.files().iter().all(|f| !f.text.contains("secret")));
        // Unconfined, the same link is followed.
        assert!(SourceMap::new().read(&root.join("link.bicep")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn files_of_a_module_cache_are_read_but_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        let cache = dir.path().join("cache");
        write(&root.join("main.bicep"), "main");
        write(&cache.join("br/mcr.microsoft.com/x/main.json"), "{}");
        let map = SourceMap::confined(Project::new(&root).with_cache(&cache));
        assert!(!map.read(&root.join("main.bicep")).unwrap().hidden);
        let cached = map
            .read(&cache.join("br/mcr.microsoft.com/x/main.json"))
            .unwrap();
        assert!(cached.hidden);
    }

    #[test]
    fn a_cache_inside_the_root_and_a_hidden_folder_are_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        write(&root.join("cache/br/x/main.json"), "{}");
        write(&root.join(".terraform/modules/aml/main.tf"), "");
        write(&root.join("main.tf"), "");
        let map = SourceMap::confined(Project::new(&root).with_cache(root.join("cache")));
        assert!(map.read(&root.join("cache/br/x/main.json")).unwrap().hidden);
        map.hide(&root.join(".terraform/modules"));
        assert!(
            map.read(&root.join(".terraform/modules/aml/main.tf"))
                .unwrap()
                .hidden
        );
        assert!(!map.read(&root.join("main.tf")).unwrap().hidden);
        // A hidden folder grants nothing: outside the root stays refused.
        let outside = dir.path().join("outside");
        write(&outside.join("x.tf"), "secret");
        map.hide(&outside);
        assert!(map.read(&outside.join("x.tf")).is_err());
    }

    #[test]
    fn system_files_are_refused_even_unconfined() {
        let map = SourceMap::new();
        for path in [
            "/proc/self/environ",
            "/dev/zero",
            "/dev/null",
            "/sys/kernel/notes",
        ] {
            let path = Path::new(path);
            let error = map.read(path).unwrap_err();
            assert_eq!(error.code, "not-a-file", "{path:?}: {}", error.message);
            assert_eq!(map.kind(path), PathKind::Refused(Refusal::NotRegularFile));
        }
        assert!(map.files().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("main.bicep");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this machine
        }
        for map in [
            SourceMap::new(),
            SourceMap::confined(Project::new(dir.path())),
        ] {
            let error = map.read(&fifo).unwrap_err();
            assert!(
                error.message.contains("not a regular file"),
                "{}",
                error.message
            );
            assert!(map.peek(&fifo).is_err());
            assert!(!map.is_file(&fifo));
        }
    }

    #[test]
    fn no_more_than_the_maximum_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.json");
        // A sparse file: no disk space is used.
        std::fs::File::create(&path)
            .unwrap()
            .set_len(MAX_FILE_SIZE + 1)
            .unwrap();
        let error = SourceMap::new().read(&path).unwrap_err();
        assert!(
            error.message.contains("larger than 256 MiB"),
            "{}",
            error.message
        );
    }

    #[test]
    fn peek_does_not_add_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        write(&path, "{\"x\": 1}");
        let map = SourceMap::new();
        assert_eq!(&*map.peek(&path).unwrap(), "{\"x\": 1}");
        assert!(map.files().is_empty());
    }

    #[test]
    fn missing_folders_are_empty_and_files_are_not_folders() {
        let dir = tempfile::tempdir().unwrap();
        let map = SourceMap::new();
        assert_eq!(
            map.list_dir(&dir.path().join("none")).unwrap(),
            Vec::<PathBuf>::new()
        );
        write(&dir.path().join("f.tf"), "");
        assert!(map.list_dir(&dir.path().join("f.tf")).is_err());
        assert_eq!(map.kind(dir.path()), PathKind::Folder);
    }
}
