//! Ctrl-C: the first press asks long loops to stop at the next safe point (they finish the
//! files they write, complete, and exit with status 130); a second press stops the process
//! at once, removing the temporary files of outputs not yet complete.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);
static PRESSES: AtomicUsize = AtomicUsize::new(0);

/// The exit status of a process stopped by Ctrl-C (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Installs the handler (once, at start).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if PRESSES.fetch_add(1, Ordering::SeqCst) == 0 {
            REQUESTED.store(true, Ordering::SeqCst);
            eprintln!(
                "\ninterrupted: stopping at the next safe point and finishing the files being written \
                 (press Ctrl-C again to stop at once)"
            );
        } else {
            mfnas::files::remove_unfinished();
            std::process::exit(EXIT_INTERRUPTED as i32);
        }
    });
}

/// Whether the user asked to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
