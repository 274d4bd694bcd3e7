mod pack;

use clap::Parser;

/// Temporary entry point for testing `pack` on the table branch; the lead owns main.rs.
#[derive(Parser)]
enum Cli {
    /// Packs the NB201 tables.
    Pack(pack::PackArgs),
}

fn main() {
    let Cli::Pack(args) = Cli::parse();
    if let Err(e) = pack::run(&args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
