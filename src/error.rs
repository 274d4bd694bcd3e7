//! The one public error type. Every message says what went wrong and what to do about it.

use std::fmt;

/// What kind of failure an [`Error`] reports, so callers can react without parsing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A parameter is out of range or inconsistent with another one.
    InvalidParameter,
    /// An architecture string, index or key could not be understood.
    InvalidArchitecture,
    /// Table bytes are corrupt, truncated or of an unknown version.
    CorruptTable,
    /// The table lacks a column or fidelity the request needs.
    MissingData,
    /// Reading or writing a file failed.
    Io,
    /// The source data for packing a table is missing or malformed.
    SourceData,
}

/// An error with a kind and a message that tells the user what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// A new error of `kind` with a message meant for a person.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
    /// Shorthand for an [`ErrorKind::InvalidParameter`] error.
    pub fn param(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameter, message)
    }
    /// Shorthand for an [`ErrorKind::CorruptTable`] error.
    pub fn corrupt(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::CorruptTable, message)
    }
    /// Shorthand for an [`ErrorKind::MissingData`] error.
    pub fn missing(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::MissingData, message)
    }
    /// Shorthand for an [`ErrorKind::InvalidArchitecture`] error.
    pub fn arch(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArchitecture, message)
    }
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The message alone.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// Prefixes the message with where the error happened.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, e.to_string())
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
