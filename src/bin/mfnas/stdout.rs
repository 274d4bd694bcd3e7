//! Results on standard output that survive a reader who stops early.
//!
//! `println!` panics when standard output is a pipe whose reader has gone (`mfnas run ...
//! --format json | head`). Here that ends the program quietly with the status a shell gives
//! a program stopped by SIGPIPE (141), as `cat` or `grep` do; files the command writes are
//! complete by then (every command writes its files before its results on standard output).

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};

/// The exit status of a program whose output pipe was closed (128 + SIGPIPE).
const EXIT_BROKEN_PIPE: i32 = 141;

/// Writes `args` to standard output; a closed pipe ends the program quietly, any other
/// write error ends it with a message.
pub fn write(args: Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(EXIT_BROKEN_PIPE);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
