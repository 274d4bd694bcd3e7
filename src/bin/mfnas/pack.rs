//! `mfnas pack`: builds the compressed `.mfnt` benchmark tables from the shared source data.

use mfnas::space::nb201_cost::Dataset;
use mfnas::table::{Role, Table, codec, pack};
use std::path::PathBuf;

/// Arguments of `mfnas pack`.
#[derive(Debug, Clone, clap::Args)]
pub struct PackArgs {
    /// The shared data folder (the one holding nb201/).
    #[arg(long, env = "MFNAS_DATA", default_value = "../shared/data")]
    pub data_dir: PathBuf,
    /// Where to write the .mfnt files.
    #[arg(long, default_value = "tables")]
    pub out: PathBuf,
    /// cifar10, cifar100, ImageNet16-120, curves200 (the 200-architecture learning-curve
    /// sample) or all.
    #[arg(long, default_value = "all")]
    pub dataset: String,
}

/// What to pack: a dataset table or the learning-curve sample.
enum Job {
    Dataset(Dataset),
    Curves,
}

impl Job {
    fn file_name(&self) -> String {
        match self {
            Job::Dataset(d) => format!("nb201-{}.{}", d.name(), codec::EXTENSION),
            Job::Curves => format!("nb201-cifar10-curves200.{}", codec::EXTENSION),
        }
    }
}

fn jobs(which: &str) -> mfnas::Result<Vec<Job>> {
    match which.trim().to_ascii_lowercase().as_str() {
        "all" => Ok(Dataset::ALL
            .into_iter()
            .map(Job::Dataset)
            .chain([Job::Curves])
            .collect()),
        "curves200" | "curves" => Ok(vec![Job::Curves]),
        other => Dataset::parse(other)
            .map(|d| vec![Job::Dataset(d)])
            .map_err(|e| {
                mfnas::Error::param(format!(
                    "{}; or curves200 for the learning-curve sample, or all",
                    e.message()
                ))
            }),
    }
}

/// Packs the requested tables into `args.out` and prints a summary of each.
pub fn run(args: &PackArgs) -> mfnas::Result<()> {
    let jobs = jobs(&args.dataset)?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| mfnas::Error::from(e).context(format!("creating {}", args.out.display())))?;
    for job in jobs {
        let table = match &job {
            Job::Dataset(d) => pack::pack_nb201(&args.data_dir, d.name())?,
            Job::Curves => pack::pack_nb201_curves(&args.data_dir)?,
        };
        let path = args.out.join(job.file_name());
        let bytes = codec::save(&table, &path)?;
        println!(
            "{}: {} rows, {} columns, {} bytes — {}",
            path.display(),
            table.n_rows(),
            table.columns().len(),
            bytes,
            table.meta.title
        );
        for line in summary(&table) {
            println!("  {line}");
        }
    }
    Ok(())
}

/// One line per column family (role, and proxy name for proxies): columns and present cells.
fn summary(table: &Table) -> Vec<String> {
    let mut families: Vec<(String, usize, usize)> = Vec::new();
    for c in table.columns() {
        let family = match c.spec.role {
            Role::ZcScore | Role::ZcTime => format!(
                "{} {}",
                c.spec.role.as_str(),
                c.spec.proxy.as_deref().unwrap_or("?")
            ),
            r => r.as_str().to_string(),
        };
        let present = c.count_present();
        match families.iter_mut().find(|f| f.0 == family) {
            Some(f) => {
                f.1 += 1;
                f.2 += present;
            }
            None => families.push((family, 1, present)),
        }
    }
    families
        .into_iter()
        .map(|(f, n, p)| {
            if n == 1 {
                format!("{f}: {p} present")
            } else {
                format!("{f}: {n} columns, {p} present cells")
            }
        })
        .collect()
}
