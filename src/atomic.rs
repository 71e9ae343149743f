//! Writing files so that readers see the old file or the new one, never
//! half of one: a temporary file beside the target, renamed into place.

use std::fs::Permissions;
use std::io::Write;
use std::path::Path;

/// Whether the bytes must reach the disk before the rename (survive a power
/// cut), or only be whole for readers (watch-mode drafts, rewritten often).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Synced,
    Unsynced,
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, Durability::Synced)
}

/// Writes `bytes` to `path` with the mode any new file gets (0644 under the
/// usual umask; a temporary file would be 0600).
pub fn write_atomic_with(path: &Path, bytes: &[u8], durability: Durability) -> std::io::Result<()> {
    write(path, bytes, durability, None)
}

/// Replaces the existing file `path` (signing in place), keeping its mode.
pub fn replace_keeping_mode(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let permissions = std::fs::metadata(path)?.permissions();
    write(path, bytes, Durability::Synced, Some(permissions))
}

fn write(
    path: &Path,
    bytes: &[u8],
    durability: Durability,
    keep: Option<Permissions>,
) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Narrowed by the umask, as for any file a program creates.
        builder.permissions(Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    if let Some(permissions) = keep {
        file.as_file().set_permissions(permissions)?;
    }
    if durability == Durability::Synced {
        file.as_file().sync_all()?;
    }
    file.persist(path).map_err(|err| err.error)?;
    if durability == Durability::Synced {
        // The rename itself reaches the disk only when the folder is synced.
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
