//! `mfnas pack`: builds the compressed `.mfnt` benchmark tables from the shared source data.

use mfnas::files::Output;
use mfnas::sources::{nb101 as pack_nb101, nb201 as pack, nbasr as pack_nbasr};
use mfnas::space::nb201_cost::Dataset;
use mfnas::table::{Role, Table, codec};
use std::path::{Path, PathBuf};

/// Arguments of `mfnas pack`.
#[derive(Debug, Clone, clap::Args)]
pub struct PackArgs {
    /// The shared data folder (the one holding nb201/).
    #[arg(long, env = "MFNAS_DATA", default_value = "../shared/data")]
    pub data_dir: PathBuf,
    /// Where to write the .mfnt files. Tables there are replaced (re-packing is what this
    /// command is for), atomically and only once every requested table packed; a file of
    /// the same name that is not a table is kept unless --force.
    #[arg(long, default_value = "tables")]
    pub out: PathBuf,
    /// Replace files in --out that have a table's name but are not tables.
    #[arg(long)]
    pub force: bool,
    /// cifar10, cifar100, ImageNet16-120, curves200 (the 200-architecture learning-curve
    /// sample), all (these four); or another space's table: nb101-fragment, nb101-slice,
    /// nb101 (needs the full NAS-Bench-101 files), nbasr-fragment, nbasr (full files).
    #[arg(long, default_value = "all")]
    pub dataset: String,
}

/// What to pack: a dataset table, the learning-curve sample, or another space's table.
enum Job {
    Dataset(Dataset),
    Curves,
    Other(&'static str),
}

/// Tables of the other spaces, by name.
const OTHER_TABLES: [&str; 5] = [
    "nb101-fragment",
    "nb101-slice",
    "nb101",
    "nbasr-fragment",
    "nbasr",
];

impl Job {
    fn file_name(&self) -> String {
        match self {
            Job::Dataset(d) => format!("nb201-{}.{}", d.name(), codec::EXTENSION),
            Job::Curves => format!("nb201-cifar10-curves200.{}", codec::EXTENSION),
            Job::Other(name) => format!("{name}.{}", codec::EXTENSION),
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
        other if OTHER_TABLES.contains(&other) => Ok(vec![Job::Other(
            OTHER_TABLES
                .into_iter()
                .find(|t| *t == other)
                .expect("contained"),
        )]),
        other => Dataset::parse(other)
            .map(|d| vec![Job::Dataset(d)])
            .map_err(|e| {
                mfnas::Error::param(format!(
                    "{}; or curves200 for the learning-curve sample, all, or one of {}",
                    e.message(),
                    OTHER_TABLES.join(", ")
                ))
            }),
    }
}

/// Checks that `path` can receive a packed table: see [`PackArgs::out`].
fn check_destination(path: &Path, force: bool) -> mfnas::Result<()> {
    let is_table = || {
        let mut magic = [0u8; 8];
        std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
            .is_ok_and(|()| magic == codec::MAGIC)
    };
    if path.is_file() && !force && !is_table() {
        return Err(mfnas::Error::new(
            mfnas::ErrorKind::Io,
            format!(
                "{} exists and is not a table; pass --force to replace it, or choose another --out",
                path.display()
            ),
        ));
    }
    Output::new(path, true).map(|_| ())
}

/// Packs the requested tables into `args.out` and prints a summary of each. Nothing is
/// written unless every requested table packs.
pub fn run(args: &PackArgs) -> mfnas::Result<()> {
    let jobs = jobs(&args.dataset)?;
    std::fs::create_dir_all(&args.out).map_err(|e| {
        mfnas::Error::new(
            mfnas::ErrorKind::Io,
            format!("cannot create the folder {}: {e}", args.out.display()),
        )
    })?;
    for job in &jobs {
        check_destination(&args.out.join(job.file_name()), args.force)?;
    }
    let mut packed = Vec::new();
    for job in jobs {
        if crate::interrupt::requested() {
            return Err(mfnas::Error::new(
                mfnas::ErrorKind::Io,
                "interrupted before every table was packed: nothing was written",
            ));
        }
        let table = match &job {
            Job::Dataset(d) => pack::pack_nb201(&args.data_dir, d.name())?,
            Job::Curves => pack::pack_nb201_curves(&args.data_dir)?,
            Job::Other("nb101-fragment") => pack_nb101::pack_fragment(&args.data_dir)?,
            Job::Other("nb101-slice") => pack_nb101::pack_slice(&args.data_dir)?,
            Job::Other("nb101") => pack_nb101::pack_full(&args.data_dir)?,
            Job::Other("nbasr-fragment") => pack_nbasr::pack_fragment(&args.data_dir)?,
            Job::Other(_) => pack_nbasr::pack_full(&args.data_dir)?,
        };
        let path = args.out.join(job.file_name());
        let bytes = codec::encode(&table);
        let mut file = Output::new(&path, true)?.create()?;
        file.write_bytes(&bytes)?;
        packed.push((file, table, bytes.len()));
    }
    // Every table is complete in its temporary file: now they replace the old ones, all
    // before anything is printed (a reader that stops early must not leave some unwritten).
    let mut written = Vec::with_capacity(packed.len());
    for (file, table, bytes) in packed {
        let path = file.path().to_path_buf();
        file.commit()?;
        written.push((path, table, bytes));
    }
    for (path, table, bytes) in written {
        outln!(
            "{}: {} rows, {} columns, {} bytes — {}",
            path.display(),
            table.n_rows(),
            table.columns().len(),
            bytes,
            table.meta.title
        );
        for line in summary(&table) {
            outln!("  {line}");
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
