//! The explorer's lab module: the JavaScript face of `mfnas::companion::lab`, run by the
//! page's lab worker (`www/src/lab/worker.ts`).
//!
//! - [`Lab`] holds the lab's images (the file the page ships) and scores any NB201 cell with
//!   real zero-cost proxies on the benchmark's network;
//! - [`Training`] trains a reduced NB201 network of one cell, one bounded piece of work per
//!   call, so the worker can pause between calls.
//!
//! Nothing is computed here: values are parsed, handed to the `mfnas` crate and converted.
//! Errors are thrown as JS `Error`s named `LabError` with a `kind` property (the core's error
//! kind).

#[cfg(target_arch = "wasm32")]
mod face {
    use burn::tensor::Device;
    use mfnas::companion::lab::LabImages;
    use mfnas::companion::lab::run::{LabRun, LabTrainSettings};
    use mfnas::companion::lab::score::{DEFAULT_BATCH, LabScorer, PAGE_PROXIES, parse_arch};
    use mfnas::companion::net::cpu;
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    fn js_error(kind: &str, message: &str) -> JsValue {
        let e = js_sys::Error::new(message);
        e.set_name("LabError");
        let _ = js_sys::Reflect::set(&e, &"kind".into(), &kind.into());
        e.into()
    }

    fn err(e: mfnas::Error) -> JsValue {
        let kind = serde_json::to_value(e.kind())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        js_error(&kind, e.message())
    }

    fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
        let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
        value
            .serialize(&ser)
            .map_err(|e| js_error("internal", &e.to_string()))
    }

    /// Seeds cross as JS numbers; they must be exact non-negative integers.
    fn whole(value: f64, what: &str) -> Result<u64, JsValue> {
        if value.is_finite()
            && value >= 0.0
            && value.fract() == 0.0
            && value <= 9_007_199_254_740_991.0
        {
            Ok(value as u64)
        } else {
            Err(js_error(
                "invalid_parameter",
                &format!("{what} is {value}, but must be a whole number from 0 to 2^53 - 1"),
            ))
        }
    }

    #[derive(Serialize)]
    struct SetInfo {
        n: usize,
        side: usize,
    }

    #[derive(Serialize)]
    struct LabInfo<'a> {
        source: &'a str,
        classes: &'a [String],
        train: SetInfo,
        val: SetInfo,
        proxy: SetInfo,
        page_proxies: [&'static str; 4],
        default_batch: usize,
        default_settings: LabTrainSettings,
    }

    /// Training settings as the page sends them: any subset of the fields.
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SettingsIn {
        channels: Option<usize>,
        cells: Option<usize>,
        batch_size: Option<usize>,
        epochs: Option<u32>,
        lr: Option<f64>,
        seed: Option<f64>,
    }

    #[derive(Serialize)]
    struct ArchOut {
        index: u32,
        arch_string: String,
        genotype: String,
    }

    #[derive(Serialize)]
    struct TrainingInfo {
        arch: ArchOut,
        settings: LabTrainSettings,
        batches_per_epoch: usize,
        train_images: usize,
        val_images: usize,
        side: usize,
        /// The same training natively, on the same file (`lab/cifar10-lab.bin` of the site).
        command: String,
    }

    fn arch_out(a: mfnas::space::nb201::Nb201Arch) -> ArchOut {
        ArchOut {
            index: a.index(),
            arch_string: a.arch_string(),
            genotype: a.genotype_string(),
        }
    }

    /// The lab's images and a proxy scorer.
    #[wasm_bindgen]
    pub struct Lab {
        images: LabImages,
        device: Device,
        /// The scorer of the last (seed, batch) asked for: its batch is drawn once.
        scorer: Option<(u64, usize, LabScorer)>,
    }

    #[wasm_bindgen]
    impl Lab {
        /// Reads the lab image file's bytes.
        #[wasm_bindgen(constructor)]
        pub fn new(bytes: &[u8]) -> Result<Lab, JsValue> {
            console_error_panic_hook::set_once();
            let images = LabImages::decode(bytes).map_err(err)?;
            Ok(Lab {
                images,
                device: cpu().autodiff(),
                scorer: None,
            })
        }

        /// What the file holds and the defaults: `{ source, classes, train: { n, side },
        /// val, proxy, page_proxies, default_batch, default_settings }`.
        pub fn info(&self) -> Result<JsValue, JsValue> {
            let set = |s: &mfnas::companion::data::ImageSet| SetInfo {
                n: s.len(),
                side: s.height,
            };
            to_js(&LabInfo {
                source: &self.images.source,
                classes: &self.images.train.classes,
                train: set(&self.images.train),
                val: set(&self.images.val),
                proxy: set(&self.images.proxy),
                page_proxies: PAGE_PROXIES,
                default_batch: DEFAULT_BATCH,
                default_settings: LabTrainSettings::default(),
            })
        }

        /// Parses an arch string, `#index`, a bare NB201 index or a genotype:
        /// `{ index, arch_string, genotype }`.
        #[wasm_bindgen(js_name = parseArch)]
        pub fn parse_arch(&self, text: &str) -> Result<JsValue, JsValue> {
            to_js(&arch_out(parse_arch(text).map_err(err)?))
        }

        /// Computes proxy `name` of `arch` on a batch of `batch` images drawn with `seed`
        /// (the cell's initial weights come from `seed` too): `{ name, score, seconds }`.
        pub fn score(
            &mut self,
            arch: &str,
            name: &str,
            seed: f64,
            batch: u32,
        ) -> Result<JsValue, JsValue> {
            let arch = parse_arch(arch).map_err(err)?;
            let seed = whole(seed, "seed")?;
            let batch = batch as usize;
            if !matches!(&self.scorer, Some((s, b, _)) if *s == seed && *b == batch) {
                let scorer =
                    LabScorer::new(&self.images, batch, seed, &self.device).map_err(err)?;
                self.scorer = Some((seed, batch, scorer));
            }
            let (_, _, scorer) = self.scorer.as_ref().expect("set above");
            to_js(&scorer.score(arch, name).map_err(err)?)
        }

        /// Starts training `arch` with `settings` (`LabTrainSettings` fields; missing ones
        /// take the defaults).
        #[wasm_bindgen(js_name = startTraining)]
        pub fn start_training(&self, arch: &str, settings: JsValue) -> Result<Training, JsValue> {
            let arch = parse_arch(arch).map_err(err)?;
            let mut s = LabTrainSettings::default();
            if !(settings.is_undefined() || settings.is_null()) {
                let given: SettingsIn = serde_wasm_bindgen::from_value(settings).map_err(|e| {
                    js_error("invalid_parameter", &format!("training settings: {e}"))
                })?;
                s.channels = given.channels.unwrap_or(s.channels);
                s.cells = given.cells.unwrap_or(s.cells);
                s.batch_size = given.batch_size.unwrap_or(s.batch_size);
                s.epochs = given.epochs.unwrap_or(s.epochs);
                s.lr = given.lr.unwrap_or(s.lr);
                if let Some(seed) = given.seed {
                    s.seed = whole(seed, "seed")?;
                }
            }
            let settings = s;
            let run = LabRun::new(arch, &self.images, settings, &self.device).map_err(err)?;
            Ok(Training { run })
        }
    }

    /// One cell being trained.
    #[wasm_bindgen]
    pub struct Training {
        run: LabRun,
    }

    #[wasm_bindgen]
    impl Training {
        /// The cell, the settings and the equivalent command line.
        pub fn info(&self) -> Result<JsValue, JsValue> {
            let r = &self.run;
            to_js(&TrainingInfo {
                arch: arch_out(r.arch),
                settings: r.settings.clone(),
                batches_per_epoch: r.batches_per_epoch(),
                train_images: r.train_images(),
                val_images: r.val_images(),
                side: r.side(),
                command: r.settings.command(r.arch, "lab/cifar10-lab.bin", None),
            })
        }

        /// One bounded piece of work (a training step, or at most `val_slice` validation
        /// images): `{ kind: "step" | "validating" | "validated" | "finished", … }`.
        pub fn advance(&mut self, val_slice: u32) -> Result<JsValue, JsValue> {
            to_js(&self.run.advance(val_slice as usize).map_err(err)?)
        }

        /// Whether the schedule is trained and validated.
        pub fn finished(&self) -> bool {
            self.run.finished()
        }
    }
}
