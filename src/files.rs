//! Files the command line reads and writes, so that nothing a user had is lost and no
//! input can make it hang or run out of memory.
//!
//! Writing:
//! - [`Output::new`] checks a destination **before any work starts**: its folder exists and
//!   can be written (a probe file is created and removed), the path is not a folder or a
//!   device, and an existing file is replaced only when the user allowed it (`--force`).
//! - [`Output::create`] writes to a temporary file **in the same folder** (so the final
//!   rename never crosses file systems) and [`AtomicFile::commit`] renames it over the
//!   destination once complete. An error, a full disk or an interruption leaves the
//!   destination as it was; the temporary file is removed when the [`AtomicFile`] is
//!   dropped uncommitted, and by [`remove_unfinished`] when the process is stopped.
//! - Every error names the path it is about.
//!
//! The rule for existing files: commands refuse to replace one unless given `--force`;
//! `mfnas pack` replaces the tables it writes (re-packing is its purpose; see its help).
//!
//! Reading: [`read_regular`] refuses anything but a regular file (a FIFO would block
//! forever, `/dev/zero` never ends) and anything larger than the caller's limit.

use crate::error::{Error, ErrorKind, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Temporary files not yet committed or removed, so an interrupted process can clean up.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Distinguishes temporary files of one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

fn io_error(path: &Path, doing: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("{doing} {}: {e}", path.display()))
}

/// Reads the regular file `path`, at most `limit` bytes; `what` says what it is for errors
/// ("table", "source file").
pub fn read_regular(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let cannot = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read {what} {}: {e}", path.display()),
        )
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer appears.
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if !meta.is_file() {
        return Err(cannot(&format_args!(
            "it is not a regular file ({}); give the path of a file",
            if meta.is_dir() {
                "a folder"
            } else {
                "a device, pipe or socket"
            }
        )));
    }
    let too_big = |size: u64| {
        cannot(&format_args!(
            "it is {size} bytes, more than the {limit}-byte limit for a {what}"
        ))
    };
    if meta.len() > limit {
        return Err(too_big(meta.len()));
    }
    let file = File::open(path).map_err(|e| cannot(&e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never read past the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A checked destination for one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    path: PathBuf,
    force: bool,
}

impl Output {
    /// Checks that `path` can receive an output now: see the module documentation.
    /// `force` allows replacing an existing regular file.
    pub fn new(path: impl Into<PathBuf>, force: bool) -> Result<Self> {
        let path = path.into();
        check(&path, force)?;
        Ok(Self { path, force })
    }
    /// The destination.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// Whether an existing file may be replaced.
    pub fn force(&self) -> bool {
        self.force
    }
    /// Starts writing: a temporary file in the destination's folder.
    pub fn create(&self) -> Result<AtomicFile> {
        AtomicFile::create(&self.path, self.force)
    }
    /// Writes `bytes` atomically in one go.
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        let mut f = self.create()?;
        f.write_bytes(bytes)?;
        f.commit()
    }
}

/// The folder a file `path` lives in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Checks that `path` can receive an output: its folder exists and is writable, it is not
/// a folder or another non-regular file, and it does not exist unless `force`.
pub fn check(path: &Path, force: bool) -> Result<()> {
    if path.as_os_str().is_empty() || path.file_name().is_none() {
        return Err(Error::new(
            ErrorKind::Io,
            format!("{:?} is not a file name to write to", path.display()),
        ));
    }
    // Many tools read "-" as standard output; writing a file named "-" instead would surprise.
    if path.as_os_str() == "-" {
        return Err(Error::new(
            ErrorKind::Io,
            "\"-\" (standard output) cannot receive this output: give a file name \
             (./- for a file really named \"-\")",
        ));
    }
    let folder = folder_of(path);
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "cannot write {}: {} is not a folder",
                    path.display(),
                    folder.display()
                ),
            ));
        }
        Err(e) => {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "cannot write {}: its folder {} does not exist or cannot be read ({e}); create it first",
                    path.display(),
                    folder.display()
                ),
            ));
        }
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "cannot write {}: it is a folder; give a file name",
                    path.display()
                ),
            ));
        }
        Ok(m) if !m.is_file() => {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "cannot write {}: it is not a regular file (a device, pipe or socket); outputs \
                     are written to a temporary file and renamed, so give a file path",
                    path.display()
                ),
            ));
        }
        Ok(_) if !force => {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "{} already exists; pass --force to replace it, or choose another path",
                    path.display()
                ),
            ));
        }
        _ => {}
    }
    // The only reliable test of "can be written": create a file there, then remove it.
    let probe = temp_path(path);
    File::options()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| {
            io_error(
                path,
                "cannot write",
                format_args!("creating a file in {} failed: {e}", folder.display()),
            )
        })?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// `.<name>.<pid>-<n>.tmp` beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    folder_of(path).join(format!(".{name}.{}-{n}.tmp", std::process::id()))
}

/// Removes every temporary file of this process that was neither committed nor dropped
/// yet: called when the process is stopped (a second Ctrl-C) before it can unwind.
pub fn remove_unfinished() {
    let list = match UNFINISHED.lock() {
        Ok(mut l) => std::mem::take(&mut *l),
        Err(p) => std::mem::take(&mut *p.into_inner()),
    };
    for p in list {
        let _ = std::fs::remove_file(p);
    }
}

fn forget_unfinished(tmp: &Path) {
    if let Ok(mut l) = UNFINISHED.lock() {
        l.retain(|p| p != tmp);
    }
}

/// An output being written to a temporary file beside its destination. Implements
/// [`Write`] (buffered); [`AtomicFile::commit`] makes it the destination, dropping it
/// uncommitted removes it.
#[derive(Debug)]
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    force: bool,
    file: Option<BufWriter<File>>,
    /// Renamed over the destination: nothing to remove.
    committed: bool,
}

impl AtomicFile {
    /// A temporary file for `dest` (which is checked with [`check`] first).
    pub fn create(dest: &Path, force: bool) -> Result<Self> {
        check(dest, force)?;
        let tmp = temp_path(dest);
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| io_error(dest, "cannot write", e))?;
        if let Ok(mut l) = UNFINISHED.lock() {
            l.push(tmp.clone());
        }
        Ok(Self {
            dest: dest.to_path_buf(),
            tmp,
            force,
            file: Some(BufWriter::with_capacity(1 << 16, file)),
            committed: false,
        })
    }
    /// The destination.
    pub fn path(&self) -> &Path {
        &self.dest
    }
    /// An error about this output (for errors of writers such as `serde_json`).
    pub fn error(&self, e: impl std::fmt::Display) -> Error {
        io_error(&self.dest, "writing", e)
    }
    /// Writes all of `bytes`.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        self.write_all(bytes).map_err(|e| self.error(e))
    }
    /// Flushes, syncs and renames the temporary file over the destination. On an error
    /// the temporary file is removed and the destination is left as it was.
    pub fn commit(mut self) -> Result<()> {
        self.finish()?;
        self.committed = true;
        forget_unfinished(&self.tmp);
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        let file = self.file.take().expect("a file until commit");
        let file = file
            .into_inner()
            .map_err(|e| io_error(&self.dest, "writing", e.error()))?;
        file.sync_all()
            .map_err(|e| io_error(&self.dest, "writing", e))?;
        drop(file);
        if !self.force && std::fs::symlink_metadata(&self.dest).is_ok() {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "{} appeared while it was being written; it was left alone (pass --force to replace it)",
                    self.dest.display()
                ),
            ));
        }
        std::fs::rename(&self.tmp, &self.dest)
            .map_err(|e| io_error(&self.dest, "cannot move the finished file to", e))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().expect("a file until commit").write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().expect("a file until commit").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            drop(self.file.take());
            let _ = std::fs::remove_file(&self.tmp);
            forget_unfinished(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of its own for one test, removed when the test ends (passed or failed).
    struct Scratch(PathBuf);

    impl std::ops::Deref for Scratch {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn scratch(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!(
            "mfnas-output-{}-{name}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn devices_and_folders_are_not_read_and_large_files_are_refused() {
        let e = read_regular(Path::new("/dev/zero"), 1 << 20, "table").unwrap_err();
        assert!(
            e.message().contains("/dev/zero") && e.message().contains("not a regular file"),
            "{e}"
        );
        let d = scratch("read");
        assert!(
            read_regular(&d, 1 << 20, "table")
                .unwrap_err()
                .message()
                .contains("folder")
        );
        let p = d.join("t.bin");
        std::fs::write(&p, [7u8; 100]).unwrap();
        assert_eq!(read_regular(&p, 100, "table").unwrap().len(), 100);
        let e = read_regular(&p, 99, "table").unwrap_err();
        assert!(e.message().contains("99-byte limit"), "{e}");
    }

    #[test]
    fn a_committed_file_has_the_bytes_and_no_temporary_file_remains() {
        let d = scratch("commit");
        let out = Output::new(d.join("a.txt"), false).unwrap();
        out.write(b"hello").unwrap();
        assert_eq!(std::fs::read(d.join("a.txt")).unwrap(), b"hello");
        assert_eq!(entries(&d), ["a.txt"]);
    }

    #[test]
    fn an_existing_file_is_kept_without_force_and_the_error_names_it() {
        let d = scratch("exists");
        let p = d.join("keep.txt");
        std::fs::write(&p, "mine").unwrap();
        let e = Output::new(&p, false).unwrap_err();
        assert!(e.message().contains(&p.display().to_string()), "{e}");
        assert!(e.message().contains("--force"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "mine");
        Output::new(&p, true).unwrap().write(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }

    #[test]
    fn a_file_dropped_before_commit_leaves_the_destination_as_it_was() {
        let d = scratch("drop");
        let p = d.join("x.json");
        std::fs::write(&p, "old").unwrap();
        {
            let mut f = Output::new(&p, true).unwrap().create().unwrap();
            f.write_bytes(b"half of a new fi").unwrap();
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(entries(&d), ["x.json"]);
    }

    #[test]
    fn a_dash_is_refused_as_a_destination_and_dot_slash_dash_names_a_file() {
        let e = Output::new("-", true).unwrap_err();
        assert!(e.message().contains("standard output"), "{e}");
        let d = scratch("dash");
        Output::new(d.join("-"), false)
            .unwrap()
            .write(b"x")
            .unwrap();
        assert_eq!(entries(&d), ["-"]);
    }

    #[test]
    fn a_missing_folder_is_refused_before_any_work_with_its_path() {
        let d = scratch("nofolder");
        let p = d.join("no/such/folder/out.csv");
        let e = Output::new(&p, false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(e.message().contains("no/such/folder"), "{e}");
    }

    #[test]
    fn folders_and_devices_are_not_outputs() {
        let d = scratch("folder");
        assert!(
            Output::new(d.to_path_buf(), true)
                .unwrap_err()
                .message()
                .contains("folder")
        );
        let e = Output::new("/dev/null", true).unwrap_err();
        assert!(e.message().contains("not a regular file"), "{e}");
    }
}
