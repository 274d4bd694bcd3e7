//! The `mfnas` command line: experiments, single runs with event streams, table packing,
//! landscape analysis.

/// Like `print!`, for the command's results on standard output; see [`stdout::write`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::stdout::write(format_args!($($arg)*)) };
}

/// Like `println!`, for the command's results on standard output; see [`stdout::write`].
macro_rules! outln {
    () => { $crate::stdout::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::stdout::write(format_args!("{}\n", format_args!($($arg)*))) };
}

#[cfg(feature = "companion")]
mod companion;
mod config_args;
mod experiment;
mod interrupt;
mod landscape;
mod pack;
mod paper;
#[cfg(feature = "companion")]
mod score;
mod stdout;
mod tables;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mfnas",
    version,
    about = "MF-NAS and fitness-landscape analysis on NAS-Bench-201 tables"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one configuration over many seeds and print a paper-style summary.
    Experiment(experiment::ExperimentArgs),
    /// Run one configuration once; optionally write its event stream as JSON Lines.
    Run(experiment::RunArgs),
    /// Run every algorithm on every dataset and print the results beside the paper's.
    Reproduce(experiment::ReproduceArgs),
    /// Every NB201 experiment of the paper the tables support, beside the published numbers,
    /// as one report (Markdown + SVG, static HTML, JSON).
    Paper(paper::PaperArgs),
    /// Pack the NB201 tables from the shared data into compressed .mfnt files.
    Pack(pack::PackArgs),
    /// Local optima networks of a metric, the whole grid, and the paper's findings checked.
    Landscape(landscape::LandscapeArgs),
    /// Train one NB201 architecture on real images (NB201 recipe, checkpoints, resumable).
    #[cfg(feature = "companion")]
    Train(companion::TrainArgs),
    /// MF-NAS on a dataset without a table: `--live` computes proxies and trains for real.
    #[cfg(feature = "companion")]
    Search(companion::LiveSearchArgs),
    /// Compute zero-cost proxies for many architectures into a table (resumable, parallel).
    #[cfg(feature = "companion")]
    ZcTable(companion::ZcTableArgs),
    /// Real zero-cost proxies of one NB201 cell on real images (the explorer's lab numbers).
    #[cfg(feature = "companion")]
    Score(score::ScoreArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    interrupt::install();
    let result = match &cli.command {
        Command::Experiment(a) => experiment::run_experiment(a),
        Command::Run(a) => experiment::run_single(a),
        Command::Reproduce(a) => experiment::run_reproduce(a),
        Command::Paper(a) => paper::run(a),
        Command::Pack(a) => pack::run(a),
        Command::Landscape(a) => landscape::run(a),
        #[cfg(feature = "companion")]
        Command::Train(a) => companion::run_train(a),
        #[cfg(feature = "companion")]
        Command::Search(a) => companion::run_live_search(a),
        #[cfg(feature = "companion")]
        Command::ZcTable(a) => companion::run_zc_table(a),
        #[cfg(feature = "companion")]
        Command::Score(a) => score::run(a),
    };
    match result {
        Ok(()) if interrupt::requested() => ExitCode::from(interrupt::EXIT_INTERRUPTED),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
