//! Writes output files atomically: a temporary file beside the target, flushed to disk,
//! then renamed over it. A failed run never truncates or clobbers the published feed.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic_parts(path, std::iter::once(contents))
}

/// `write_atomic` for contents held in parts (a large feed, as it was built).
pub(crate) fn write_atomic_parts<'a>(
    path: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".syllabus-ics-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    for part in parts {
        temp.write_all(part)?;
    }
    temp.as_file().sync_all()?;
    // Keep the permissions of the file being replaced; a new feed is world-readable,
    // since it is meant to be served.
    match fs::metadata(path) {
        Ok(existing) => fs::set_permissions(temp.path(), existing.permissions())?,
        Err(_) => make_readable(temp.path())?,
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn make_readable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn make_readable(_path: &Path) -> io::Result<()> {
    Ok(())
}
