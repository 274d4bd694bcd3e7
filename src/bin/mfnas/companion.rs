//! Companion commands (feature `companion`): `train`, `search --live` and `zc-table`.

use crate::config_args::AlgoArgs;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use mfnas::companion::data::{self, DataSpec};
use mfnas::companion::device::{self as dev, DeviceChoice, OpenedDevice};
use mfnas::companion::executor::{Executor, Jobs};
use mfnas::companion::live::{LiveEvaluator, check_metric, live_schema, run_live};
use mfnas::companion::net::NetConfig;
use mfnas::companion::proxies::{self, ProxyEvaluator, batch_from};
use mfnas::companion::task::{self, TaskSettings, WorkDir};
use mfnas::companion::train::{Checkpoints, TrainConfig, Trainer, seconds_per_image_full};
use mfnas::companion::zc_table::{ZcTableJob, parse_arch_range};
use mfnas::space::nb201::Nb201Arch;
use mfnas::table::{Fidelity, Role};
use mfnas::{Error, Result};
use std::path::{Path, PathBuf};

/// Where images come from and how many to use.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Image folder: the CIFAR-10 JPEG shards (cifar10_train_jpg.tar.gz), CIFAR binary
    /// files, or class sub-folders of images; or a lab image file. Only training images are
    /// read: a test split is never opened.
    #[arg(long)]
    pub data: PathBuf,
    /// Use at most this many training images (class-balanced).
    #[arg(long)]
    pub train_images: Option<usize>,
    /// Validation images, held out of the training images (class-balanced, seeded by
    /// --data-seed); default: --val-fraction of them.
    #[arg(long)]
    pub val_images: Option<usize>,
    /// Fraction of the training images held out for validation when --val-images is not
    /// given.
    #[arg(long, default_value_t = 0.1)]
    pub val_fraction: f64,
    /// Seed of the validation hold-out and the image subsets.
    #[arg(long, default_value_t = 0)]
    pub data_seed: u64,
}

impl DataArgs {
    /// The images asked for; the path made absolute where it exists (workers of a live
    /// search may start in other folders).
    fn spec(&self) -> DataSpec {
        let mut spec = DataSpec::new(self.data.canonicalize().unwrap_or(self.data.clone()));
        spec.train_limit = self.train_images;
        spec.val_limit = self.val_images;
        spec.val_fraction = self.val_fraction;
        spec.seed = self.data_seed;
        spec
    }
}

/// Where the networks compute.
#[derive(Args, Debug, Clone)]
pub struct DeviceArgs {
    /// `cpu` (burn's pure-Rust backend) or `gpu` (burn's wgpu backend: Vulkan, Metal or
    /// DX12; needs a build with `--features gpu`). A seed gives the same initial weights on
    /// both.
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "gpu"])]
    pub device: String,
}

impl DeviceArgs {
    /// The device asked for.
    pub fn choice(&self) -> Result<DeviceChoice> {
        self.device.parse()
    }
    /// Opens the device asked for and says on standard error which it is.
    pub fn open(&self) -> Result<OpenedDevice> {
        let opened = dev::open(self.choice()?)?;
        eprintln!("device: {}", opened.name);
        Ok(opened)
    }
}

/// The network shape.
#[derive(Args, Debug, Clone)]
pub struct NetArgs {
    /// Channels of the first stage (NB201: 16).
    #[arg(long, default_value_t = 16)]
    pub channels: usize,
    /// Cells per stage (NB201: 5).
    #[arg(long, default_value_t = 5)]
    pub cells: usize,
}

/// `mfnas train`: train one architecture with NB201's recipe.
#[derive(Args, Debug, Clone)]
pub struct TrainArgs {
    /// The architecture (arch string, 6-digit genotype, NASLib tuple or #index).
    #[arg(long)]
    pub arch: String,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub net: NetArgs,
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Epochs to train now.
    #[arg(long, default_value_t = 1)]
    pub epochs: u32,
    /// Length of the cosine schedule (default: --epochs).
    #[arg(long)]
    pub schedule: Option<u32>,
    /// Mini-batch size.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// Learning rate.
    #[arg(long, default_value_t = 0.1)]
    pub lr: f64,
    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Checkpoint folder: one checkpoint per finished epoch (`epoch-NNNN/`, each written
    /// whole or not at all); training resumes from the latest.
    #[arg(long)]
    pub checkpoint: Option<PathBuf>,
    /// Train from the latest checkpoint at or before this epoch up to this epoch of the
    /// schedule (instead of --epochs more), then write --result: one training job of a
    /// live search, as its workers run it.
    #[arg(long, requires_all = ["checkpoint", "result"], conflicts_with_all = ["steps", "epochs"])]
    pub until: Option<u32>,
    /// With --until: the result file (JSON: the epoch's training and validation figures,
    /// epochs trained, seconds), written atomically. If it already holds this training's
    /// result, nothing is trained.
    #[arg(long, requires = "until")]
    pub result: Option<PathBuf>,
    /// Stop after this many mini-batch steps, printing every step's loss on standard output
    /// (how a curve of the explorer's lab is reproduced); no checkpoint, no cost estimate.
    #[arg(long, conflicts_with = "checkpoint")]
    pub steps: Option<u64>,
    /// With --until: stop as soon as process PID is no longer this process's parent. A live
    /// search's local executor passes its own id, so that its workers stop when it is killed
    /// (finished epochs stay checkpointed and are reused when the search starts again).
    #[arg(long, requires = "until", value_name = "PID", hide = true)]
    pub with_parent: Option<u32>,
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(&format!(
            "{what} [{{bar:30}}] {{pos}}/{{len}} {{elapsed_precise}} eta {{eta}} {{msg}}"
        ))
        .expect("valid template"),
    );
    pb
}

/// Runs `mfnas train`.
pub fn run_train(a: &TrainArgs) -> Result<()> {
    if let Some(pid) = a.with_parent {
        follow_parent(pid);
    }
    let arch = Nb201Arch::parse_any(&a.arch)?;
    let spec = a.data.spec();
    let opened = a.device.open()?;
    let data = data::load(&spec)?;
    let device = opened.device.clone().autodiff();
    let net = NetConfig {
        channels: a.net.channels,
        cells_per_stage: a.net.cells,
        num_classes: data.train.classes.len(),
        in_channels: data.train.channels,
    };
    let mut cfg = TrainConfig::nb201(net, a.schedule.or(a.until).unwrap_or(a.epochs));
    cfg.batch_size = a.batch_size;
    cfg.lr = a.lr;
    cfg.seed = a.seed;
    if let (Some(until), Some(dir), Some(result)) = (a.until, &a.checkpoint, &a.result) {
        return train_job(
            arch,
            TaskSettings {
                data: spec,
                train: cfg,
            },
            until,
            dir,
            result,
            &data,
            &device,
        );
    }
    let checkpoints = a.checkpoint.as_ref().map(Checkpoints::new);
    if let Some(c) = &checkpoints
        && Trainer::has_checkpoint(c.dir())
    {
        return Err(Error::param(format!(
            "{} holds one checkpoint directly (the layout before checkpoints were kept per epoch); move its files into {}/epoch-NNNN (NNNN: its epoch, e.g. 0003) or give another folder",
            c.dir().display(),
            c.dir().display()
        )));
    }
    let mut trainer = match checkpoints
        .as_ref()
        .and_then(|c| c.latest(u32::MAX).map(|e| (c, e)))
    {
        Some((c, epoch)) => {
            let t = c.load(epoch, &device)?;
            if t.arch != arch {
                return Err(Error::param(format!(
                    "checkpoint {} is of {}, not of the requested architecture",
                    c.dir().display(),
                    t.arch.arch_string()
                )));
            }
            eprintln!(
                "resuming from {} at epoch {epoch}",
                c.epoch_dir(epoch).display()
            );
            t
        }
        None => Trainer::new(arch, cfg, data.train.channel_stats(), &device)?,
    };
    if trainer.epochs_done() >= trainer.config.schedule_epochs {
        return Err(Error::param(format!(
            "the checkpoint has finished its {}-epoch schedule; start a new one in another folder",
            trainer.config.schedule_epochs
        )));
    }
    let until = (trainer.epochs_done() + a.epochs).min(trainer.config.schedule_epochs);
    eprintln!(
        "{}: {} training / {} validation images of {} classes, {}x{}; C={}, N={}; epochs {}..{} of a {}-epoch schedule",
        data.source,
        data.train.len(),
        data.val.len(),
        data.train.classes.len(),
        data.train.width,
        data.train.height,
        trainer.config.net.channels,
        trainer.config.net.cells_per_stage,
        trainer.epochs_done() + 1,
        until,
        trainer.config.schedule_epochs
    );
    if let Some(steps) = a.steps {
        return train_steps(&mut trainer, &data, steps);
    }
    let batches = data.train.len().div_ceil(trainer.config.batch_size) as u64;
    let pb = bar(batches, "epoch");
    let mut save_err = None;
    let mut epochs_this_run = Vec::new();
    while trainer.epochs_done() < until {
        let next = trainer.epochs_done() + 1;
        pb.reset();
        trainer.train_until(
            &data,
            next,
            |r| {
                pb.suspend(|| {
                    eprintln!(
                        "epoch {:>3}: train loss {:.4} acc {:.2}% | val loss {:.4} acc {:.2}% | {:.1} s, {:.0} img/s on {}",
                        r.epoch, r.train_loss, r.train_acc, r.val_loss, r.val_acc, r.train_seconds, r.images_per_s, opened.name
                    )
                });
                epochs_this_run.push(r.clone());
            },
            |done, _| pb.set_position(done as u64),
        )?;
        if let Some(c) = &checkpoints
            && let Err(e) = c.save(&trainer)
        {
            save_err = Some(e);
            break;
        }
    }
    pb.finish_and_clear();
    if let Some(e) = save_err {
        return Err(e);
    }
    // What the full setting would cost here: measured on the full network, not extrapolated
    // from the reduced one.
    let spi = seconds_per_image_full(arch, data.train.classes.len(), 32, 2, &device);
    let per_epoch = spi * 50_000.0;
    eprintln!(
        "full NB201 setting on {} (C=16, N=5, 50,000 32x32 images): {:.0} img/s, {:.1} s per batch of 256, ~{:.1} h per epoch, ~{:.1} days for 200 epochs",
        opened.name,
        1.0 / spi.max(1e-12),
        spi * 256.0,
        per_epoch / 3600.0,
        per_epoch * 200.0 / 86400.0
    );
    Ok(())
}

/// Ends this process once `pid` is no longer its parent: the search that started this worker
/// was killed (its orphans are adopted by another process). Checked from a thread five times
/// a second, so the training itself is untouched; nothing half written is left, since
/// checkpoints and the result file are written whole or not at all.
fn follow_parent(pid: u32) {
    #[cfg(unix)]
    {
        let stop_if_gone = move |ended: &str| {
            if std::os::unix::process::parent_id() != pid {
                eprintln!(
                    "the search that started this worker (process {pid}) {ended}: stopping; finished epochs stay checkpointed"
                );
                std::process::exit(EXIT_PARENT_GONE);
            }
        };
        stop_if_gone("has already ended");
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(std::time::Duration::from_millis(200));
                stop_if_gone("has ended");
            }
        });
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// The exit status of a worker whose search has ended (128 + SIGTERM, as if it had been sent one).
const EXIT_PARENT_GONE: i32 = 143;

/// `mfnas train --until E --result FILE`: one training job of a live search (a worker).
fn train_job(
    arch: Nb201Arch,
    settings: TaskSettings,
    until: u32,
    checkpoint: &Path,
    result: &Path,
    data: &data::Dataset,
    device: &burn::tensor::Device,
) -> Result<()> {
    let worker = match (
        std::env::var("SLURM_ARRAY_JOB_ID"),
        std::env::var("SLURM_ARRAY_TASK_ID"),
    ) {
        (Ok(job), Ok(task)) => format!(
            "Slurm job {job} array task {task}, process {}",
            std::process::id()
        ),
        _ => format!("process {}", std::process::id()),
    };
    eprintln!("{}", data.source);
    let schedule = settings.train.schedule_epochs;
    let r = task::run(
        &settings,
        arch,
        schedule,
        until,
        &Checkpoints::new(checkpoint),
        result,
        data,
        device,
        &worker,
    )?;
    eprintln!(
        "{}: epoch {} of {} ({}): val acc {:.2}% val loss {:.4} train loss {:.4}; {} epoch(s) trained from epoch {} in {:.1} s{}",
        r.arch,
        r.until,
        r.schedule_epochs,
        result.display(),
        r.report.val_acc,
        r.report.val_loss,
        r.report.train_loss,
        r.epochs_trained,
        r.from_epoch,
        r.seconds,
        if r.reused {
            " (already finished: reused)"
        } else {
            ""
        }
    );
    Ok(())
}

/// Trains `steps` mini-batches (fewer if the schedule ends first), printing each step's loss
/// and validating after every finished epoch, as the explorer's lab does.
fn train_steps(trainer: &mut Trainer, data: &data::Dataset, steps: u64) -> Result<()> {
    for _ in 0..steps {
        if trainer.epochs_done() >= trainer.config.schedule_epochs {
            eprintln!("the schedule is finished");
            break;
        }
        let r = trainer.train_step(&data.train)?;
        outln!(
            "step {} epoch {} batch {}/{} loss {:.6} lr {:.6} images/s {:.1}",
            r.step,
            r.epoch,
            r.batch,
            r.batches,
            r.loss,
            r.lr,
            r.images as f64 / r.seconds.max(1e-9)
        );
        if let Some(t) = r.epoch_end {
            let (val_loss, val_acc) = trainer.evaluate(&data.val);
            eprintln!(
                "epoch {:>3}: train loss {:.4} acc {:.2}% | val loss {:.4} acc {:.2}% | {:.1} s, {:.0} img/s",
                r.epoch,
                t.loss,
                t.acc,
                val_loss,
                val_acc,
                t.seconds,
                t.images as f64 / t.seconds.max(1e-9)
            );
        }
    }
    Ok(())
}

/// `mfnas search --live`: MF-NAS with proxies and training computed for real.
#[derive(Args, Debug, Clone)]
pub struct LiveSearchArgs {
    /// Evaluate live (required: there is no table for this data).
    #[arg(long)]
    pub live: bool,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub net: NetArgs,
    #[command(flatten)]
    pub device: DeviceArgs,
    #[command(flatten)]
    pub algo: AlgoArgs,
    /// Images in the proxy mini-batch.
    #[arg(long, default_value_t = 64)]
    pub proxy_batch: usize,
    /// Training mini-batch size.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// Work folder of the search (every worker must reach it): checkpoints, result files
    /// and logs of the trainings. A search started again on the same folder with the same
    /// arguments reuses every finished training.
    #[arg(long, alias = "checkpoints", default_value = "live-work")]
    pub work_dir: PathBuf,
    /// Who trains the candidates: `in-process` (one after another in this process),
    /// `local` (worker processes on this machine, --jobs at a time) or `slurm` (each
    /// successive-halving rung as one `sbatch --array` job). The outcome is the same.
    #[arg(long, default_value = "in-process", value_parser = ["in-process", "local", "slurm"])]
    pub executor: String,
    /// With --executor local: worker processes at a time.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// With --executor local or slurm: how many times a failed training is run again
    /// before the search stops with an error naming it and its log (default 2).
    #[arg(long)]
    pub retries: Option<u32>,
    /// With --executor slurm: extra arguments for sbatch, e.g. "--partition=gpu --time=1:00:00".
    #[arg(long, allow_hyphen_values = true)]
    pub sbatch_args: Option<String>,
    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

impl LiveSearchArgs {
    /// The executor the flags ask for; a flag of another executor is an error.
    fn executor(&self) -> Result<Executor> {
        let misplaced = |flag: &str, what: &str| {
            Err(Error::param(format!(
                "--{flag} applies to {what}, not to --executor {}",
                self.executor
            )))
        };
        if self.jobs.is_some() && self.executor != "local" {
            return misplaced("jobs", "--executor local");
        }
        if self.sbatch_args.is_some() && self.executor != "slurm" {
            return misplaced("sbatch-args", "--executor slurm");
        }
        if self.retries.is_some() && self.executor == "in-process" {
            return misplaced("retries", "--executor local or slurm");
        }
        Ok(match self.executor.as_str() {
            "local" => {
                let jobs = self.jobs.unwrap_or(1);
                if jobs == 0 {
                    return Err(Error::param("--jobs must be at least 1"));
                }
                Executor::Local { jobs }
            }
            "slurm" => Executor::Slurm {
                sbatch_args: self
                    .sbatch_args
                    .as_deref()
                    .unwrap_or("")
                    .split_whitespace()
                    .map(String::from)
                    .collect(),
            },
            _ => Executor::InProcess,
        })
    }
}

/// Runs `mfnas search --live`.
pub fn run_live_search(a: &LiveSearchArgs) -> Result<()> {
    if !a.live {
        return Err(Error::param(
            "search without a table needs --live (proxies and training computed for real)",
        ));
    }
    let executor = a.executor()?;
    let mut params = a.algo.params()?;
    if params.ladder.is_none() {
        params.ladder = Some(vec![Fidelity::new(1, "live"), Fidelity::new(2, "live")]);
    }
    if params.fidelity.is_none() {
        params.fidelity = params.ladder.as_ref().and_then(|l| l.first().cloned());
    }
    if params.budget_s.is_none() {
        return Err(Error::param(
            "give --budget in wall-clock seconds for a live search",
        ));
    }
    let proxy = params.zc.clone().unwrap_or_else(|| "synflow".into());
    let schema = live_schema(&proxy, params.ladder.as_deref().unwrap_or(&[]))?;
    let plan = params.check(&schema)?;
    if let Some(metric) = params.stage2_metric {
        check_metric(metric)?;
    }
    let spec = a.data.spec();
    let opened = a.device.open()?;
    let data = data::load(&spec)?;
    let device = opened.device.clone().autodiff();
    let net = NetConfig {
        channels: a.net.channels,
        cells_per_stage: a.net.cells,
        num_classes: data.train.classes.len(),
        in_channels: data.train.channels,
    };
    let norm = data.train.channel_stats();
    let batch = batch_from(&data.train, &norm, a.proxy_batch, a.seed, &device)?;
    let proxies = ProxyEvaluator::new(net, batch, a.seed, &device);
    let mut train = TrainConfig::nb201(net, 1);
    train.batch_size = a.batch_size;
    train.seed = a.seed;
    let jobs = Jobs {
        work: WorkDir::new(&a.work_dir)?,
        settings: TaskSettings {
            data: spec.clone(),
            train,
        },
        executor: executor.clone(),
        retries: a.retries.unwrap_or(2),
        program: std::env::current_exe().map_err(|e| {
            Error::new(
                mfnas::ErrorKind::Io,
                format!("cannot find this program to start workers: {e}"),
            )
        })?,
        poll: std::time::Duration::from_millis(250),
        notes: Box::new(|n| eprintln!("{n}")),
        device: a.device.choice()?,
    };
    jobs.check()?;
    eprintln!("{} (live)", plan.label);
    eprintln!("{}", data.source);
    let held_out = format!(
        "the {} validation images held out of the training images (seed {})",
        data.val.len(),
        spec.seed
    );
    eprintln!(
        "stage 2 ranks by {}",
        match params.stage2_metric.unwrap_or(Role::ValAcc) {
            Role::ValLoss => format!("val_loss: the loss on {held_out}"),
            Role::TrainLoss => "train_loss: the training loss (no held-out images)".into(),
            _ => format!("val_acc: the accuracy on {held_out}"),
        }
    );
    eprintln!(
        "trainings: {}; work folder {}",
        match &executor {
            Executor::Local { jobs } => format!("local, {jobs} worker process(es)"),
            e => e.name().to_string(),
        },
        jobs.work.root().display()
    );
    let out = run_live(
        &plan,
        |objectives| LiveEvaluator::new(&data, proxies, jobs, &device, objectives),
        a.seed,
        |e| {
            eprintln!(
                "#{:<4} {:<16} {:>10.4} {:>8.2}s  total {:>8.1}s  {}",
                e.evals, e.objective, e.score, e.cost_s, e.total_s, e.arch
            )
        },
    )?;
    // The outcome, with the split its validation scores came from.
    let mut json = serde_json::to_value(&out).expect("serialisable");
    json["validation"] = serde_json::json!({
        "images": data.val.len(),
        "held_out_of": "the training images",
        "seed": spec.seed,
        "training_images": data.train.len(),
        "test_images_read": 0,
    });
    json["executor"] = serde_json::json!(executor.name());
    outln!(
        "{}",
        serde_json::to_string_pretty(&json).expect("serialisable")
    );
    Ok(())
}

/// `mfnas zc-table`: compute proxies for many architectures into a table.
#[derive(Args, Debug, Clone)]
pub struct ZcTableArgs {
    /// Dataset name written into the table (e.g. cifar10).
    #[arg(long, default_value = "cifar10")]
    pub dataset: String,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub net: NetArgs,
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Proxies, comma separated, or "all".
    #[arg(long, default_value = "all")]
    pub proxies: String,
    /// Architectures: "all", "connected", or NB201 index ranges like "0-99,200".
    #[arg(long, default_value = "all")]
    pub archs: String,
    /// Images in the proxy mini-batch.
    #[arg(long, default_value_t = 64)]
    pub proxy_batch: usize,
    /// Seed of the batch and of the network initialisations.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output table file; a `.partial.jsonl` beside it makes the job resumable.
    #[arg(long)]
    pub out: PathBuf,
    /// Worker threads (each computes whole architectures); the table is the same bit for bit
    /// whatever the number. Default: every core.
    #[arg(long)]
    pub jobs: Option<usize>,
}

/// Runs `mfnas zc-table`.
pub fn run_zc_table(a: &ZcTableArgs) -> Result<()> {
    let names: Vec<String> = if a.proxies == "all" {
        proxies::ALL.iter().map(|s| s.to_string()).collect()
    } else {
        a.proxies.split(',').map(|s| s.trim().to_string()).collect()
    };
    for n in &names {
        proxies::check_name(n)?;
    }
    let jobs = match a.jobs {
        Some(0) => {
            return Err(Error::param(
                "--jobs 0: give at least 1 worker thread (or leave it out for every core)",
            ));
        }
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let archs = parse_arch_range(&a.archs)?;
    let opened = a.device.open()?;
    let data = data::load(&a.data.spec())?;
    let job = ZcTableJob {
        dataset: a.dataset.clone(),
        net: NetConfig {
            channels: a.net.channels,
            cells_per_stage: a.net.cells,
            num_classes: data.train.classes.len(),
            in_channels: data.train.channels,
        },
        proxies: names,
        archs,
        batch_size: a.proxy_batch,
        seed: a.seed,
        jobs,
        device: opened.device,
    };
    let pb = bar(job.archs.len() as u64, "archs");
    let table = job.run(&data.train, &a.out, |done| pb.set_position(done as u64))?;
    pb.finish_and_clear();
    eprintln!(
        "{} architectures × {} proxies written to {}",
        table.n_rows(),
        job.proxies.len(),
        a.out.display()
    );
    Ok(())
}
