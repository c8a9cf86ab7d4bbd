//! The one place output reaches the disk, atomically: a file is written beside its target
//! and renamed over it; a site is written into a directory beside its target, synced to
//! disk once, and swapped in. A failed run never truncates or clobbers what is published.
//! Knows nothing about what the bytes are.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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

/// Writes `files` (paths inside the directory, and contents) into a new directory beside
/// `out`, syncs them to disk in one go, then swaps the directory in: the old one is moved
/// aside and removed only once the new one is in place. Nothing outside `out` and the two
/// temporary directories beside it is touched.
pub(crate) fn replace_dir(out: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let parent = parent(out);
    fs::create_dir_all(parent)?;
    let staged = tempfile::Builder::new()
        .prefix(".syllabus-ics-site-")
        .tempdir_in(parent)?;
    let dirs: BTreeSet<&Path> = files
        .iter()
        .filter_map(|(name, _)| Path::new(name).parent())
        .filter(|dir| !dir.as_os_str().is_empty())
        .collect();
    for dir in dirs {
        let dir = staged.path().join(dir);
        fs::create_dir_all(&dir)?;
        make_public(&dir, true)?;
    }
    // Creating a file costs the kernel more than writing it; a site has thousands.
    files.par_iter().try_for_each(|(name, contents)| {
        let mut file = File::create_new(staged.path().join(name))?;
        file.write_all(contents)?;
        make_file_public(&file)
    })?;
    // A temporary directory is private; the site is meant to be served.
    match fs::metadata(out) {
        Ok(existing) => fs::set_permissions(staged.path(), existing.permissions())?,
        Err(_) => make_public(staged.path(), true)?,
    }
    // Everything on disk before the site is swapped in; one sync for all the files, where
    // a sync per file took most of the time of a large site.
    sync_tree(staged.path(), files)?;
    if fs::symlink_metadata(out).is_err() {
        fs::rename(staged.path(), out)?;
        let _kept: PathBuf = staged.keep();
        return sync_dir(parent);
    }
    let retired = tempfile::Builder::new()
        .prefix(".syllabus-ics-old-")
        .tempdir_in(parent)?;
    let old = retired.path().join("site");
    fs::rename(out, &old)?;
    if let Err(error) = fs::rename(staged.path(), out) {
        // Put the old site back; `staged` and `retired` are removed when dropped.
        fs::rename(&old, out)?;
        return Err(error);
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
fn sync_tree(dir: &Path, _files: &[(String, Vec<u8>)]) -> io::Result<()> {
    rustix::fs::syncfs(File::open(dir)?)?;
    Ok(())
}

/// Syncs each file, then the directories holding them.
#[cfg(not(target_os = "linux"))]
fn sync_tree(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let mut dirs = std::collections::BTreeSet::new();
    for (name, _) in files {
        let path = dir.join(name);
        File::open(&path)?.sync_all()?;
        if let Some(parent) = path.parent() {
            dirs.insert(parent.to_owned());
        }
    }
    dirs.iter().try_for_each(|dir| sync_dir(dir))
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
