//! Where the companion computes: burn's `flex` CPU backend, or a GPU through burn's `wgpu`
//! backend (cargo feature `gpu`). The model code is the same on both; initial weights are
//! always drawn on the CPU (see [`super::net::Nb201Net::seeded`]) so that a seed gives the
//! same network on either device.

use super::net::cpu;
use crate::{Error, Result};
use burn::tensor::Device;

/// The device asked for on the command line (`--device cpu|gpu`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    /// burn's pure-Rust CPU backend.
    #[default]
    Cpu,
    /// The first GPU wgpu finds (Vulkan, Metal or DX12; a software driver where there is no
    /// GPU).
    Gpu,
}

impl DeviceChoice {
    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            DeviceChoice::Cpu => "cpu",
            DeviceChoice::Gpu => "gpu",
        }
    }
}

impl std::str::FromStr for DeviceChoice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "cpu" => Ok(DeviceChoice::Cpu),
            "gpu" => Ok(DeviceChoice::Gpu),
            other => Err(Error::param(format!(
                "unknown device {other:?}: use cpu or gpu"
            ))),
        }
    }
}

/// An opened device and what it is, for the user.
#[derive(Debug, Clone)]
pub struct OpenedDevice {
    /// The device, without autodiff (call `.autodiff()` for training and proxies).
    pub device: Device,
    /// What computes: "cpu (burn flex)" or the GPU adapter's name, driver and graphics API.
    pub name: String,
}

/// Opens `choice`. A GPU in a build without the `gpu` feature, or on a machine where wgpu
/// finds no adapter, is an error that says so.
pub fn open(choice: DeviceChoice) -> Result<OpenedDevice> {
    match choice {
        DeviceChoice::Cpu => Ok(OpenedDevice {
            device: cpu(),
            name: "cpu (burn flex)".into(),
        }),
        DeviceChoice::Gpu => open_gpu(),
    }
}

#[cfg(not(feature = "gpu"))]
fn open_gpu() -> Result<OpenedDevice> {
    Err(Error::param(
        "--device gpu: this mfnas was built without GPU support; rebuild it with `cargo build --release --features gpu`",
    ))
}

/// wgpu's runtime can be initialised once per process, so the outcome is kept.
#[cfg(feature = "gpu")]
fn open_gpu() -> Result<OpenedDevice> {
    use std::sync::OnceLock;
    static GPU: OnceLock<std::result::Result<OpenedDevice, String>> = OnceLock::new();
    GPU.get_or_init(|| {
        let (device, setup) = Device::wgpu_options()
            .init_with_setup()
            .map_err(|e| format!("--device gpu: no usable GPU adapter was found ({e})"))?;
        let info = setup.adapter.get_info();
        let mut name = format!("gpu: {} ({:?}", info.name, info.backend);
        if !info.driver.is_empty() {
            name.push_str(&format!(", {} {}", info.driver, info.driver_info));
        }
        if info.device_type == burn::tensor::wgpu::wgpu::DeviceType::Cpu {
            name.push_str(", a CPU emulation, not a GPU");
        }
        name.push(')');
        Ok(OpenedDevice { device, name })
    })
    .clone()
    .map_err(|e| Error::new(crate::ErrorKind::MissingData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_parse_and_others_are_refused() {
        assert_eq!("cpu".parse::<DeviceChoice>().unwrap(), DeviceChoice::Cpu);
        assert_eq!("gpu".parse::<DeviceChoice>().unwrap(), DeviceChoice::Gpu);
        let e = "cuda".parse::<DeviceChoice>().unwrap_err().to_string();
        assert!(e.contains("cpu or gpu"), "{e}");
        assert_eq!(open(DeviceChoice::Cpu).unwrap().device, cpu());
    }

    #[cfg(not(feature = "gpu"))]
    #[test]
    fn a_gpu_without_the_feature_is_an_error_that_says_how_to_rebuild() {
        let e = open(DeviceChoice::Gpu).unwrap_err().to_string();
        assert!(e.contains("--features gpu"), "{e}");
    }
}
