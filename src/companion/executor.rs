//! Who runs a live search's trainings: the search's own process, worker processes on this
//! machine, or a Slurm cluster.
//!
//! A successive-halving rung's trainings are independent, so the run loop hands them over
//! at once ([`crate::runner::Evaluator::evaluate_batch`]); [`Jobs::run_batch`] runs each as
//! a `mfnas train --until E --result FILE` worker ([`super::task::worker_args`]): at most
//! `jobs` processes at a time on this machine, or one `sbatch --array` job per rung. It then
//! reads every task's result file. A task whose result file is missing afterwards (the
//! worker failed, was killed, or its node died) is run again, at most `retries` times; then
//! the batch fails with an error naming the architecture and the task's log file.
//!
//! Finished result files are reused, so a search killed and started again with the same
//! arguments trains only what was not finished. With Slurm, a job of the same rung still in
//! the queue from the killed search is waited for rather than submitted twice (jobs are found
//! by a name made of the work folder and the rung's tasks, never by job id alone: ids are
//! reused).

use super::data::Dataset;
use super::device::DeviceChoice;
use super::task::{self, TaskResult, TaskSettings, TrainTask, WorkDir};
use super::train::Checkpoints;
use crate::error::{Error, ErrorKind, Result};
use burn::tensor::Device;
use md5::{Digest, Md5};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Where trainings run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Executor {
    /// One after another in the search's own process.
    InProcess,
    /// In worker processes on this machine, at most `jobs` at a time.
    Local {
        /// Worker processes at a time (at least 1).
        jobs: usize,
    },
    /// As Slurm job arrays, one per rung.
    Slurm {
        /// Extra `sbatch` arguments (partition, time limit, …).
        sbatch_args: Vec<String>,
    },
}

impl Executor {
    /// Its name on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Executor::InProcess => "in-process",
            Executor::Local { .. } => "local",
            Executor::Slurm { .. } => "slurm",
        }
    }
}

/// Runs the training tasks of a live search.
pub struct Jobs {
    /// The shared work folder.
    pub work: WorkDir,
    /// Images and recipe of every training.
    pub settings: TaskSettings,
    /// Who runs them.
    pub executor: Executor,
    /// How many times a failed task is run again before the search stops.
    pub retries: u32,
    /// The `mfnas` program that workers run.
    pub program: PathBuf,
    /// How often a running batch is looked at.
    pub poll: Duration,
    /// Where progress notes go (a line each).
    pub notes: Box<dyn Fn(&str)>,
    /// The device the trainings run on (passed to workers as `--device`).
    pub device: DeviceChoice,
}

impl Jobs {
    /// The worker's arguments for `task`; `--device` only when it is not the default, so the
    /// CPU command lines stay as they were.
    fn worker_args(&self, task: &TrainTask) -> Vec<String> {
        let mut args = task::worker_args(&self.settings, &self.work, task);
        if self.device != DeviceChoice::Cpu {
            args.extend(["--device".into(), self.device.name().into()]);
        }
        args
    }

    /// Trains `task` in this process on `data` (loaded from `self.settings.data`), reusing a
    /// finished result.
    pub fn run_here(
        &self,
        task: &TrainTask,
        data: &Dataset,
        device: &Device,
    ) -> Result<TaskResult> {
        task::run(
            &self.settings,
            task.arch,
            task.schedule_epochs,
            task.until,
            &Checkpoints::new(self.work.checkpoints(task)),
            &self.work.result(task),
            data,
            device,
            &format!("process {}", std::process::id()),
        )
    }

    /// Checks, before a search starts, that its trainings can run: for Slurm, that the
    /// client commands reach a cluster (so a search does not fail only after stage 1).
    pub fn check(&self) -> Result<()> {
        if let Executor::Slurm { .. } = self.executor {
            // Slurm's commands retry a missing configuration file for a minute.
            if let Some(conf) = std::env::var_os("SLURM_CONF")
                && !std::path::Path::new(&conf).is_file()
            {
                return Err(Error::new(
                    ErrorKind::Io,
                    format!(
                        "SLURM_CONF names {}, which is not a file: the slurm executor needs a Slurm cluster that the client commands reach (set SLURM_CONF to its slurm.conf)",
                        conf.to_string_lossy()
                    ),
                ));
            }
            self.queued("mfnas-check")?;
        }
        Ok(())
    }

    /// The finished result of `task`, if there is one.
    fn finished(&self, task: &TrainTask) -> Result<Option<TaskResult>> {
        task::read_result(
            &self.work.result(task),
            &self.settings,
            task.arch,
            task.schedule_epochs,
            task.until,
        )
    }

    /// Runs `tasks` with the worker executor (local or Slurm) and returns their results in
    /// order; finished ones are reused.
    pub fn run_batch(&self, tasks: &[TrainTask]) -> Result<Vec<TaskResult>> {
        let name = self.batch_name(tasks);
        if let Executor::Slurm { .. } = self.executor {
            self.wait_for_earlier(&name)?;
        }
        let mut results: Vec<Option<TaskResult>> = Vec::with_capacity(tasks.len());
        for t in tasks {
            results.push(self.finished(t)?);
        }
        let reused = results.iter().filter(|r| r.is_some()).count();
        if reused > 0 {
            (self.notes)(&format!(
                "{reused} of {} trainings already finished in {}: their results are reused",
                tasks.len(),
                self.work.root().display()
            ));
        }
        let mut attempt = 0;
        loop {
            let pending: Vec<usize> = (0..tasks.len()).filter(|&i| results[i].is_none()).collect();
            if pending.is_empty() {
                return Ok(results
                    .into_iter()
                    .map(|r| r.expect("all finished"))
                    .collect());
            }
            if attempt > self.retries {
                return Err(self.failure(tasks, &pending, attempt));
            }
            if attempt > 0 {
                (self.notes)(&format!(
                    "{} training(s) failed; running them again (retry {attempt} of {})",
                    pending.len(),
                    self.retries
                ));
            }
            let batch: Vec<&TrainTask> = pending.iter().map(|&i| &tasks[i]).collect();
            match &self.executor {
                Executor::InProcess => {
                    return Err(Error::param(
                        "in-process trainings are not run in batches; use a local or slurm executor",
                    ));
                }
                Executor::Local { jobs } => self.run_local(&batch, (*jobs).max(1), attempt)?,
                Executor::Slurm { sbatch_args } => {
                    self.run_slurm(&batch, sbatch_args, &name, attempt)?
                }
            }
            for &i in &pending {
                results[i] = self.finished(&tasks[i])?;
            }
            attempt += 1;
        }
    }

    /// The error for tasks that failed every attempt: each architecture with its log file
    /// and the log's last line.
    fn failure(&self, tasks: &[TrainTask], failed: &[usize], attempts: u32) -> Error {
        let lines: Vec<String> = failed
            .iter()
            .map(|&i| {
                let log = self.work.log(&tasks[i]);
                let last = std::fs::read_to_string(&log)
                    .ok()
                    .and_then(|t| {
                        t.lines()
                            .rev()
                            .find(|l| !l.trim().is_empty())
                            .map(|l| l.trim().to_string())
                    })
                    .unwrap_or_else(|| "(the log is empty)".into());
                format!(
                    "training {} failed; its log is {} (last line: {last})",
                    tasks[i].describe(),
                    log.display()
                )
            })
            .collect();
        Error::new(
            ErrorKind::Io,
            format!(
                "{} of {} trainings failed {attempts} time(s) ({} retries allowed by --retries): {}",
                failed.len(),
                tasks.len(),
                self.retries,
                lines.join("; ")
            ),
        )
    }

    /// A name for the batch of `tasks`: the same for the same work folder and tasks, so a
    /// search started again finds the Slurm job an earlier one left running.
    fn batch_name(&self, tasks: &[TrainTask]) -> String {
        let mut h = Md5::new();
        h.update(self.work.root().display().to_string().as_bytes());
        for t in tasks {
            h.update(b"\n");
            h.update(t.key().as_bytes());
        }
        let digest = h.finalize();
        let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        format!("mfnas-{hex}")
    }

    /// Opens `task`'s log for appending, with a line saying which attempt follows.
    fn open_log(&self, task: &TrainTask, header: &str) -> Result<std::fs::File> {
        let path = self.work.log(task);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::from(e).context(path.display()))?;
        use std::io::Write;
        writeln!(f, "== {header}").map_err(|e| Error::from(e).context(path.display()))?;
        Ok(f)
    }

    fn run_local(&self, batch: &[&TrainTask], jobs: usize, attempt: u32) -> Result<()> {
        (self.notes)(&format!(
            "{} training(s) on this machine, {jobs} worker process(es) at a time",
            batch.len()
        ));
        let mut queue = batch.iter();
        let mut running: Vec<Child> = Vec::new();
        loop {
            while running.len() < jobs {
                let Some(t) = queue.next() else { break };
                let log = self.open_log(t, &format!("attempt {}: local worker", attempt + 1))?;
                let err = log
                    .try_clone()
                    .map_err(|e| Error::from(e).context(self.work.log(t).display()))?;
                let child = Command::new(&self.program)
                    .args(self.worker_args(t))
                    // A worker stops when this process ends, killed or not (it would train
                    // on, unseen, beside the workers of the search started again).
                    .args(["--with-parent".to_string(), std::process::id().to_string()])
                    .stdin(Stdio::null())
                    .stdout(log)
                    .stderr(err)
                    .spawn()
                    .map_err(|e| {
                        Error::new(
                            ErrorKind::Io,
                            format!("cannot start the worker {}: {e}", self.program.display()),
                        )
                    })?;
                running.push(child);
            }
            if running.is_empty() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
            running.retain_mut(|c| matches!(c.try_wait(), Ok(None)));
        }
    }

    /// Waits while jobs named `name` (left by an earlier search on the same work folder and
    /// tasks) are still queued or running.
    fn wait_for_earlier(&self, name: &str) -> Result<()> {
        let mut said = false;
        while !self.queued(name)?.is_empty() {
            if !said {
                (self.notes)(&format!(
                    "Slurm job(s) named {name} of an earlier run of this search are still in the queue: waiting for them"
                ));
                said = true;
            }
            std::thread::sleep(self.poll);
        }
        Ok(())
    }

    /// The ids of the jobs named `name` in the queue.
    fn queued(&self, name: &str) -> Result<Vec<String>> {
        let out = Command::new("squeue")
            .args(["-h", "-n", name, "-o", "%F"])
            .output()
            .map_err(|e| slurm_missing("squeue", e))?;
        if !out.status.success() {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "squeue failed ({}): the slurm executor needs a Slurm cluster that the client commands reach (set SLURM_CONF to its slurm.conf if it is not in /etc/slurm)",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect())
    }

    fn run_slurm(
        &self,
        batch: &[&TrainTask],
        sbatch_args: &[String],
        name: &str,
        attempt: u32,
    ) -> Result<()> {
        let dir = self.work.root().join("slurm");
        std::fs::create_dir_all(&dir).map_err(|e| Error::from(e).context(dir.display()))?;
        let script_path = dir.join(format!("{name}-attempt{}.sh", attempt + 1));
        let mut script = String::from(
            "#!/bin/bash\n# One training of a live MF-NAS rung per array task (written by mfnas).\nset -u\ncase \"${SLURM_ARRAY_TASK_ID:-}\" in\n",
        );
        for (i, t) in batch.iter().enumerate() {
            let args: Vec<String> = self.worker_args(t).iter().map(|a| quote(a)).collect();
            script.push_str(&format!(
                "{i}) LOG={}; ARGS=({}) ;;\n",
                quote(&self.work.log(t).display().to_string()),
                args.join(" ")
            ));
        }
        script.push_str(&format!(
            "*) echo \"no task ${{SLURM_ARRAY_TASK_ID:-}} in this array\" >&2; exit 2 ;;\nesac\nexec >>\"$LOG\" 2>&1\necho \"== attempt {}: Slurm job ${{SLURM_ARRAY_JOB_ID:-?}} array task ${{SLURM_ARRAY_TASK_ID}} on $(hostname)\"\nexec {} \"${{ARGS[@]}}\"\n",
            attempt + 1,
            quote(&self.program.display().to_string())
        ));
        std::fs::write(&script_path, script)
            .map_err(|e| Error::from(e).context(script_path.display()))?;
        let output = dir.join(format!("{name}-attempt{}-%a.out", attempt + 1));
        let out = Command::new("sbatch")
            .arg("--parsable")
            .arg(format!("--job-name={name}"))
            .arg(format!("--array=0-{}", batch.len() - 1))
            .arg(format!("--output={}", output.display()))
            .arg(format!("--chdir={}", self.work.root().display()))
            .args(sbatch_args)
            .arg(&script_path)
            .output()
            .map_err(|e| slurm_missing("sbatch", e))?;
        if !out.status.success() {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "sbatch refused {}: {}",
                    script_path.display(),
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            ));
        }
        let id = String::from_utf8_lossy(&out.stdout)
            .trim()
            .split(';')
            .next()
            .unwrap_or_default()
            .to_string();
        (self.notes)(&format!(
            "{} training(s) submitted as Slurm job array {id} ({name}); script {}",
            batch.len(),
            script_path.display()
        ));
        // Done when every result is there or the job has left the queue (finished,
        // failed or cancelled: a missing result then counts as a failure).
        loop {
            let all_done = batch
                .iter()
                .all(|t| matches!(self.finished(t), Ok(Some(_))));
            if all_done || !self.queued(name)?.contains(&id) {
                return Ok(());
            }
            std::thread::sleep(self.poll);
        }
    }
}

/// `text` quoted for bash.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn slurm_missing(cmd: &str, e: std::io::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!(
            "cannot run {cmd} ({e}): the slurm executor needs Slurm's client commands (sbatch, squeue) on the PATH and a cluster they reach (SLURM_CONF)"
        ),
    )
}
