//! The one place output reaches the disk, atomically: a file is written beside its target
//! and renamed over it; a site is written into a directory beside its target, synced to
//! disk once, and swapped in. A failed run never truncates or clobbers what is published.
//! Knows nothing about what the bytes are.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `contents` to `path` atomically.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic_parts(path, std::iter::once(contents))
}

/// `write_atomic` for contents held in parts (a large feed, as it was built). A symlink is
/// followed: the file it names is replaced, atomically, and the link stays. A device or a
/// FIFO (`/dev/null`, `/dev/stdout`) is written through, as a shell redirection would: it
/// cannot be replaced by renaming, and must not be.
pub(crate) fn write_atomic_parts<'a>(
    path: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> io::Result<()> {
    let existing = fs::metadata(path).ok();
    if let Some(existing) = &existing
        && !existing.is_file()
        && !existing.is_dir()
    {
        let mut device = fs::OpenOptions::new().write(true).open(path)?;
        for part in parts {
            device.write_all(part)?;
        }
        return device.flush();
    }
    let target = resolved(path)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".syllabus-ics-").suffix(".tmp");
    // A new feed gets the mode any new file gets (0644 under the usual umask), since it is
    // meant to be served, rather than a temporary file's 0600.
    #[cfg(unix)]
    builder.permissions(new_file_permissions());
    let mut temp = builder.tempfile_in(parent(&target))?;
    for part in parts {
        temp.write_all(part)?;
    }
    temp.as_file().sync_all()?;
    // A file being replaced keeps its permissions.
    if let Some(existing) = existing {
        fs::set_permissions(temp.path(), existing.permissions())?;
    }
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Whether `output` names the file `input` is, by any path: a symlink, `./`, `..`, or a
/// hard link. Compared by device and inode where both exist; an output that does not exist
/// yet cannot be an input that was read.
pub(crate) fn is_same_file(output: &Path, input: &Path) -> bool {
    let (Ok(output_metadata), Ok(input_metadata)) = (fs::metadata(output), fs::metadata(input))
    else {
        return false;
    };
    #[cfg(unix)]
    return same_inode(&output_metadata, &input_metadata);
    #[cfg(not(unix))]
    return matches!(
        (fs::canonicalize(output), fs::canonicalize(input)),
        (Ok(a), Ok(b)) if a == b
    );
}

#[cfg(unix)]
fn same_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// The path a symlink names, followed to the end (the last link may dangle: the file it
/// names is then created); `path` itself when it is not a link.
fn resolved(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    // As many links as Linux follows before it gives up with ELOOP.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let next = fs::read_link(&current)?;
                current = if next.is_absolute() {
                    next
                } else {
                    parent(&current).join(next)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The mode asked for when a file is created; the kernel takes the process's umask off it.
#[cfg(unix)]
fn new_file_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o666)
}

/// A directory being filled beside the site it will replace; `replace_dir` swaps it in.
pub(crate) struct Staging<'a> {
    root: &'a Path,
    /// The site being replaced, whose unchanged files are reused.
    previous: Option<&'a Path>,
}

impl Staging<'_> {
    /// Writes one file of the site, `name` relative to its root, inside a directory that
    /// `replace_dir` was told of. Safe to call from many threads at once.
    ///
    /// A file the site being replaced holds with the same bytes is hard-linked instead:
    /// it is already on disk, and removing the old site then frees nothing. Most files of a
    /// site are unchanged from one publication to the next, and on a file system that
    /// discards freed blocks, freeing them was most of the time of replacing a large site.
    pub(crate) fn write(&self, name: &str, contents: &[u8]) -> io::Result<()> {
        let path = self.root.join(name);
        if let Some(previous) = self.previous {
            let old = previous.join(name);
            if unchanged(&old, contents) && fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        let mut file = File::create_new(path)?;
        file.write_all(contents)?;
        // Where one sync cannot cover the whole tree, each file is synced as it is written.
        #[cfg(not(target_os = "linux"))]
        file.sync_all()?;
        make_file_public(&file)
    }
}

/// Whether `old` is a regular file holding exactly `contents`.
fn unchanged(old: &Path, contents: &[u8]) -> bool {
    fs::symlink_metadata(old)
        .is_ok_and(|metadata| metadata.is_file() && metadata.len() == contents.len() as u64)
        && fs::read(old).is_ok_and(|bytes| bytes == contents)
}

/// Why a site was not put in place: filling it failed, or the disk did. Either way the
/// old site is as it was.
#[derive(Debug)]
pub(crate) enum Unreplaced<E> {
    Fill(E),
    Io(io::Error),
}

impl<E> From<io::Error> for Unreplaced<E> {
    fn from(error: io::Error) -> Self {
        Unreplaced::Io(error)
    }
}

/// Fills a new directory beside `out` (with `dirs` made first: paths inside it), syncs it
/// to disk in one go, then swaps it in: the old one is moved aside and removed only once the
/// new one is in place. `fill` writes each file as soon as it has it, so rendering and
/// writing overlap. Nothing outside `out` and the two temporary directories beside it is
/// touched; if `fill` fails, the new directory is removed and the old site stays.
pub(crate) fn replace_dir<E>(
    out: &Path,
    dirs: &[&str],
    fill: impl FnOnce(&Staging) -> Result<(), E>,
) -> Result<(), Unreplaced<E>> {
    let parent = parent(out);
    fs::create_dir_all(parent)?;
    let staged = tempfile::Builder::new()
        .prefix(".syllabus-ics-site-")
        .tempdir_in(parent)?;
    for dir in dirs {
        let dir = staged.path().join(dir);
        fs::create_dir_all(&dir)?;
        make_public(&dir, true)?;
    }
    let previous = fs::symlink_metadata(out).is_ok_and(|metadata| metadata.is_dir());
    fill(&Staging {
        root: staged.path(),
        previous: previous.then_some(out),
    })
    .map_err(Unreplaced::Fill)?;
    // A temporary directory is private; the site is meant to be served.
    match fs::metadata(out) {
        Ok(existing) => fs::set_permissions(staged.path(), existing.permissions())?,
        Err(_) => make_public(staged.path(), true)?,
    }
    // Everything on disk before the site is swapped in; one sync for all the files, where
    // a sync per file took most of the time of a large site.
    sync_tree(staged.path(), dirs)?;
    if fs::symlink_metadata(out).is_err() {
        fs::rename(staged.path(), out)?;
        let _kept: PathBuf = staged.keep();
        sync_dir(parent)?;
        return Ok(());
    }
    let retired = tempfile::Builder::new()
        .prefix(".syllabus-ics-old-")
        .tempdir_in(parent)?;
    let old = retired.path().join("site");
    fs::rename(out, &old)?;
    if let Err(error) = fs::rename(staged.path(), out) {
        // Put the old site back; `staged` and `retired` are removed when dropped.
        fs::rename(&old, out)?;
        return Err(error.into());
    }
    let _kept: PathBuf = staged.keep();
    sync_dir(parent)?;
    // The new site is in place; failing to remove the old one loses nothing.
    let _ = retired.close();
    Ok(())
}

/// The directory a path is in; `.` for a bare file name.
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Syncs the file system holding `dir`, which holds every file of the tree.
#[cfg(target_os = "linux")]
fn sync_tree(dir: &Path, _dirs: &[&str]) -> io::Result<()> {
    rustix::fs::syncfs(File::open(dir)?)?;
    Ok(())
}

/// Syncs the directories of the tree; each file was synced as it was written.
#[cfg(not(target_os = "linux"))]
fn sync_tree(dir: &Path, dirs: &[&str]) -> io::Result<()> {
    sync_dir(dir)?;
    dirs.iter().try_for_each(|inner| sync_dir(&dir.join(inner)))
}

/// Makes a rename in `dir` durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn make_public(path: &Path, directory: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if directory { 0o755 } else { 0o644 };
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn make_public(_path: &Path, _directory: bool) -> io::Result<()> {
    Ok(())
}

/// `make_public` for a file already open, without looking its path up again.
#[cfg(unix)]
fn make_file_public(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn make_file_public(_file: &File) -> io::Result<()> {
    Ok(())
}
