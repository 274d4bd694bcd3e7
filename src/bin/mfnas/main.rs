//! The `mfnas` command line.

mod landscape;

use clap::{Parser, Subcommand};

/// MF-NAS and the fitness-landscape analysis of NAS-Bench-201.
#[derive(Parser, Debug)]
#[command(name = "mfnas", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Local optima networks of a metric, the whole grid, and the paper's findings checked.
    Landscape(landscape::LandscapeArgs),
}

fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Landscape(args) => landscape::run(args),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
