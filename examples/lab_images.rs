//! Extracts the explorer's lab image set (training, validation and proxy images of CIFAR-10,
//! see `src/companion/lab/images.rs`) from the CIFAR-10 JPEG shards into one file, written
//! atomically. `scripts/build-lab.sh` runs it; by hand:
//!
//! ```text
//! cargo run --no-default-features --features images --example lab_images -- \
//!     --data ../shared/data/images/cifar10-jpg --out www/public/lab/cifar10-lab.bin
//! ```
//!
//! Options (defaults are what the page ships): `--train-per-class 200`,
//! `--val-per-class 50`, `--proxy-per-class 8`, `--train-side 16`.

use mfnas::companion::lab::{LabImageSpec, LabImages};
use std::path::PathBuf;
use std::process::ExitCode;

fn run() -> mfnas::Result<()> {
    let mut spec = LabImageSpec::default();
    let (mut data, mut out) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| mfnas::Error::param(format!("{flag} needs a value")))
        };
        let mut count = |what: &str| -> mfnas::Result<usize> {
            let v = value()?;
            v.parse()
                .map_err(|_| mfnas::Error::param(format!("{what} {v:?} is not a whole number")))
        };
        match flag.as_str() {
            "--data" => data = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--train-per-class" => spec.train_per_class = count(&flag)?,
            "--val-per-class" => spec.val_per_class = count(&flag)?,
            "--proxy-per-class" => spec.proxy_per_class = count(&flag)?,
            "--train-side" => spec.train_side = count(&flag)?,
            other => {
                return Err(mfnas::Error::param(format!(
                    "unknown option {other}; use --data DIR --out FILE [--train-per-class N] [--val-per-class N] [--proxy-per-class N] [--train-side S]"
                )));
            }
        }
    }
    let data = data.ok_or_else(|| mfnas::Error::param("give --data, the CIFAR-10 JPEG folder"))?;
    let out = out.ok_or_else(|| mfnas::Error::param("give --out, the file to write"))?;
    let lab = LabImages::from_cifar10_jpg(&data, spec)?;
    let bytes = lab.encode();
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| mfnas::Error::from(e).context(dir.display()))?;
    }
    let tmp = out.with_extension("partial");
    std::fs::write(&tmp, &bytes).map_err(|e| mfnas::Error::from(e).context(tmp.display()))?;
    std::fs::rename(&tmp, &out).map_err(|e| mfnas::Error::from(e).context(out.display()))?;
    eprintln!(
        "{}: {} training and {} validation images at {}x{}, {} proxy images at {}x{} ({} bytes)",
        out.display(),
        lab.train.len(),
        lab.val.len(),
        lab.train.width,
        lab.train.height,
        lab.proxy.len(),
        lab.proxy.width,
        lab.proxy.height,
        bytes.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
