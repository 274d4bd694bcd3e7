//! A small, safe reader of Python pickles (protocols 0–5), enough for benchmark files:
//! dicts, lists, tuples, strings, numbers, and numpy arrays, dtypes and scalars.
//!
//! Nothing is executed: a global reference (`numpy.core.multiarray._reconstruct`, a class)
//! is kept as a name, and calls on it are kept as data. The numpy patterns are then
//! recognised and turned into [`Value::Array`] and plain numbers; any other object stays
//! a [`Value::Call`] / [`Value::Built`] for the caller to reject with a clear message.

use crate::error::{Error, ErrorKind, Result};

/// A decoded pickle value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A float (numpy float scalars included).
    Float(f64),
    /// A string.
    Str(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// A list.
    List(Vec<Value>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A dict, in insertion order.
    Dict(Vec<(Value, Value)>),
    /// A set or frozenset.
    Set(Vec<Value>),
    /// A numpy array, C order, values as f64.
    Array {
        /// The shape.
        shape: Vec<usize>,
        /// The values, row-major.
        data: Vec<f64>,
    },
    /// A numpy dtype, e.g. `"<f8"`.
    Dtype(String),
    /// A reference to a Python global: module and name.
    Global(String, String),
    /// A call of a global kept as data: callable and arguments.
    Call(Box<Value>, Box<Value>),
    /// An object with state set by `BUILD`.
    Built(Box<Value>, Box<Value>),
}

impl Value {
    /// The number, for ints, floats and bools.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            Value::Bool(b) => Some(*b as u8 as f64),
            _ => None,
        }
    }
    /// The integer, for ints and bools.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }
    /// The string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    /// The items of a list, tuple or set.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }
    /// The value under string key `key` of a dict.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(items) => items
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
    /// The numbers of a list/tuple of numbers or of a 1-D array.
    pub fn as_f64_vec(&self) -> Option<Vec<f64>> {
        match self {
            Value::Array { shape, data } if shape.len() == 1 => Some(data.clone()),
            _ => self.as_seq()?.iter().map(Value::as_f64).collect(),
        }
    }
}

/// Reads every pickle stored one after another in `bytes` (NB-ASR files hold a header
/// and then the rows).
pub fn load_all(bytes: &[u8]) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (v, used) =
            load_one(&bytes[at..]).map_err(|e| e.context(format!("pickle at byte {at}")))?;
        out.push(v);
        at += used;
    }
    Ok(out)
}

/// Reads the first pickle in `bytes`.
pub fn load(bytes: &[u8]) -> Result<Value> {
    load_one(bytes).map(|(v, _)| v)
}

fn bad(msg: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::SourceData,
        format!("not a readable pickle: {}", msg.into()),
    )
}

/// An object under construction; children are arena ids so that memoised objects can be
/// filled after they are referenced (as pickles do).
#[derive(Debug, Clone)]
enum Obj {
    Leaf(Value),
    List(Vec<usize>),
    Tuple(Vec<usize>),
    Dict(Vec<(usize, usize)>),
    Set(Vec<usize>),
    Call(usize, usize),
    Built(usize, usize),
}

#[derive(Debug, Clone, Copy)]
enum Item {
    Mark,
    Id(usize),
}

struct Machine<'a> {
    b: &'a [u8],
    at: usize,
    objs: Vec<Obj>,
    stack: Vec<Item>,
    memo: std::collections::BTreeMap<u64, usize>,
}

impl<'a> Machine<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.b.len() - self.at {
            return Err(bad(format!(
                "truncated: {n} bytes wanted at offset {}, {} left",
                self.at,
                self.b.len() - self.at
            )));
        }
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    fn uint(&mut self, n: usize) -> Result<u64> {
        let s = self.take(n)?;
        Ok(s.iter().rev().fold(0u64, |acc, &x| acc << 8 | x as u64))
    }
    fn line(&mut self) -> Result<&'a str> {
        let rest = &self.b[self.at..];
        let end = rest
            .iter()
            .position(|&c| c == b'\n')
            .ok_or_else(|| bad("unterminated text line"))?;
        self.at += end + 1;
        std::str::from_utf8(&rest[..end]).map_err(|_| bad("text line is not UTF-8"))
    }
    fn push(&mut self, o: Obj) {
        self.objs.push(o);
        self.stack.push(Item::Id(self.objs.len() - 1));
    }
    fn pop(&mut self) -> Result<usize> {
        match self.stack.pop() {
            Some(Item::Id(i)) => Ok(i),
            Some(Item::Mark) => Err(bad("a mark where a value was expected")),
            None => Err(bad("stack underflow")),
        }
    }
    fn top(&self) -> Result<usize> {
        match self.stack.last() {
            Some(Item::Id(i)) => Ok(*i),
            _ => Err(bad("no value on the stack")),
        }
    }
    fn pop_mark(&mut self) -> Result<Vec<usize>> {
        let pos = self
            .stack
            .iter()
            .rposition(|i| matches!(i, Item::Mark))
            .ok_or_else(|| bad("no mark on the stack"))?;
        let items = self.stack.split_off(pos + 1);
        self.stack.pop();
        Ok(items
            .into_iter()
            .map(|i| match i {
                Item::Id(x) => x,
                Item::Mark => unreachable!("marks above the last mark"),
            })
            .collect())
    }
    fn leaf(&mut self, v: Value) {
        self.push(Obj::Leaf(v));
    }
    fn text(&self, id: usize) -> Option<String> {
        match &self.objs[id] {
            Obj::Leaf(Value::Str(s)) => Some(s.clone()),
            _ => None,
        }
    }
    fn extend(&mut self, target: usize, items: Vec<usize>) -> Result<()> {
        match &mut self.objs[target] {
            Obj::List(v) | Obj::Set(v) => {
                v.extend(items);
                Ok(())
            }
            _ => Err(bad("APPEND to something that is not a list")),
        }
    }
    fn set_items(&mut self, target: usize, items: Vec<usize>) -> Result<()> {
        if !items.len().is_multiple_of(2) {
            return Err(bad("SETITEMS with an odd number of values"));
        }
        match &mut self.objs[target] {
            Obj::Dict(d) => {
                for kv in items.chunks(2) {
                    d.push((kv[0], kv[1]));
                }
                Ok(())
            }
            _ => Err(bad("SETITEM on something that is not a dict")),
        }
    }
}

fn load_one(bytes: &[u8]) -> Result<(Value, usize)> {
    let mut m = Machine {
        b: bytes,
        at: 0,
        objs: Vec::new(),
        stack: Vec::new(),
        memo: Default::default(),
    };
    loop {
        let op = m.take(1)?[0];
        match op {
            0x80 => {
                m.take(1)?;
            }
            0x95 => {
                m.take(8)?;
            }
            b'.' => {
                let id = m.pop()?;
                let v = finish(&m.objs, id, 0)?;
                return Ok((v, m.at));
            }
            b'(' => m.stack.push(Item::Mark),
            b')' => m.push(Obj::Tuple(Vec::new())),
            b']' => m.push(Obj::List(Vec::new())),
            b'}' => m.push(Obj::Dict(Vec::new())),
            0x8f => m.push(Obj::Set(Vec::new())),
            b't' => {
                let items = m.pop_mark()?;
                m.push(Obj::Tuple(items));
            }
            0x85..=0x87 => {
                let n = (op - 0x84) as usize;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(m.pop()?);
                }
                items.reverse();
                m.push(Obj::Tuple(items));
            }
            b'l' => {
                let items = m.pop_mark()?;
                m.push(Obj::List(items));
            }
            b'd' => {
                let items = m.pop_mark()?;
                m.push(Obj::Dict(Vec::new()));
                let t = m.top()?;
                m.set_items(t, items)?;
            }
            0x91 => {
                let items = m.pop_mark()?;
                m.push(Obj::Set(items));
            }
            b'a' => {
                let v = m.pop()?;
                let t = m.top()?;
                m.extend(t, vec![v])?;
            }
            b'e' | 0x90 => {
                let items = m.pop_mark()?;
                let t = m.top()?;
                m.extend(t, items)?;
            }
            b's' => {
                let v = m.pop()?;
                let k = m.pop()?;
                let t = m.top()?;
                m.set_items(t, vec![k, v])?;
            }
            b'u' => {
                let items = m.pop_mark()?;
                let t = m.top()?;
                m.set_items(t, items)?;
            }
            0x94 => {
                let t = m.top()?;
                let n = m.memo.len() as u64;
                m.memo.insert(n, t);
            }
            b'q' | b'r' | b'p' => {
                let idx = match op {
                    b'q' => m.uint(1)?,
                    b'r' => m.uint(4)?,
                    _ => m.line()?.trim().parse().map_err(|_| bad("bad PUT index"))?,
                };
                let t = m.top()?;
                m.memo.insert(idx, t);
            }
            b'h' | b'j' | b'g' => {
                let idx = match op {
                    b'h' => m.uint(1)?,
                    b'j' => m.uint(4)?,
                    _ => m.line()?.trim().parse().map_err(|_| bad("bad GET index"))?,
                };
                let id = *m
                    .memo
                    .get(&idx)
                    .ok_or_else(|| bad(format!("memo entry {idx} is not set")))?;
                m.stack.push(Item::Id(id));
            }
            b'N' => m.leaf(Value::None),
            0x88 => m.leaf(Value::Bool(true)),
            0x89 => m.leaf(Value::Bool(false)),
            b'J' => {
                let v = m.uint(4)? as u32 as i32;
                m.leaf(Value::Int(v as i64));
            }
            b'K' => {
                let v = m.uint(1)?;
                m.leaf(Value::Int(v as i64));
            }
            b'M' => {
                let v = m.uint(2)?;
                m.leaf(Value::Int(v as i64));
            }
            0x8a | 0x8b => {
                let n = if op == 0x8a { m.uint(1)? } else { m.uint(4)? } as usize;
                let s = m.take(n)?;
                if n > 8 {
                    return Err(bad("an integer wider than 64 bits"));
                }
                let mut v: i64 = 0;
                for (i, &x) in s.iter().enumerate() {
                    v |= (x as i64) << (8 * i);
                }
                if n > 0 && n < 8 && s[n - 1] & 0x80 != 0 {
                    v -= 1i64 << (8 * n);
                }
                m.leaf(Value::Int(v));
            }
            b'I' | b'L' => {
                let t = m.line()?.trim().trim_end_matches('L');
                let v = match t {
                    "01" => Value::Bool(true),
                    "00" => Value::Bool(false),
                    _ => Value::Int(t.parse().map_err(|_| bad(format!("bad INT {t:?}")))?),
                };
                m.leaf(v);
            }
            b'F' => {
                let t = m.line()?.trim();
                let v: f64 = t.parse().map_err(|_| bad(format!("bad FLOAT {t:?}")))?;
                m.leaf(Value::Float(v));
            }
            b'G' => {
                let s = m.take(8)?;
                let v = f64::from_be_bytes(s.try_into().expect("8 bytes"));
                m.leaf(Value::Float(v));
            }
            b'X' | 0x8c | 0x8d | b'T' | b'U' => {
                let n = match op {
                    0x8c | b'U' => m.uint(1)?,
                    0x8d => m.uint(8)?,
                    _ => m.uint(4)?,
                } as usize;
                let s = m.take(n)?;
                let v = if matches!(op, b'T' | b'U') {
                    s.iter().map(|&c| c as char).collect()
                } else {
                    String::from_utf8(s.to_vec()).map_err(|_| bad("string is not UTF-8"))?
                };
                m.leaf(Value::Str(v));
            }
            b'V' => {
                let s = m.line()?.to_string();
                m.leaf(Value::Str(s));
            }
            b'B' | b'C' | 0x8e | 0x96 => {
                let n = match op {
                    b'C' => m.uint(1)?,
                    b'B' => m.uint(4)?,
                    _ => m.uint(8)?,
                } as usize;
                let s = m.take(n)?.to_vec();
                m.leaf(Value::Bytes(s));
            }
            b'c' => {
                let module = m.line()?.to_string();
                let name = m.line()?.to_string();
                m.leaf(Value::Global(module, name));
            }
            0x93 => {
                let name = m.pop()?;
                let module = m.pop()?;
                let (Some(module), Some(name)) = (m.text(module), m.text(name)) else {
                    return Err(bad("STACK_GLOBAL needs two strings"));
                };
                m.leaf(Value::Global(module, name));
            }
            b'R' | 0x81 => {
                let args = m.pop()?;
                let func = m.pop()?;
                m.push(Obj::Call(func, args));
            }
            0x92 => {
                let _kwargs = m.pop()?;
                let args = m.pop()?;
                let func = m.pop()?;
                m.push(Obj::Call(func, args));
            }
            b'b' => {
                let state = m.pop()?;
                let base = m.top()?;
                // Build in place so that memo references see the built object.
                let moved = std::mem::replace(&mut m.objs[base], Obj::Leaf(Value::None));
                m.objs.push(moved);
                let old = m.objs.len() - 1;
                m.objs[base] = Obj::Built(old, state);
            }
            b'0' => {
                m.stack.pop().ok_or_else(|| bad("POP on an empty stack"))?;
            }
            b'1' => {
                m.pop_mark()?;
            }
            b'2' => {
                let t = *m.stack.last().ok_or_else(|| bad("DUP on an empty stack"))?;
                m.stack.push(t);
            }
            other => {
                return Err(bad(format!(
                    "opcode 0x{other:02x} at offset {} is not supported",
                    m.at - 1
                )));
            }
        }
    }
}

const MAX_DEPTH: usize = 200;

/// Turns arena object `id` into a [`Value`], recognising numpy arrays, dtypes and scalars.
fn finish(objs: &[Obj], id: usize, depth: usize) -> Result<Value> {
    if depth > MAX_DEPTH {
        return Err(bad("nested too deeply (or self-referencing)"));
    }
    let f = |i: usize| finish(objs, i, depth + 1);
    let all = |ids: &[usize]| ids.iter().map(|&i| f(i)).collect::<Result<Vec<_>>>();
    Ok(match &objs[id] {
        Obj::Leaf(v) => v.clone(),
        Obj::List(v) => Value::List(all(v)?),
        Obj::Tuple(v) => Value::Tuple(all(v)?),
        Obj::Set(v) => Value::Set(all(v)?),
        Obj::Dict(d) => Value::Dict(
            d.iter()
                .map(|&(k, v)| Ok((f(k)?, f(v)?)))
                .collect::<Result<_>>()?,
        ),
        Obj::Call(func, args) => {
            let (func, args) = (f(*func)?, f(*args)?);
            if let Value::Global(module, name) = &func
                && is_numpy(module)
                && name == "scalar"
            {
                return numpy_scalar(&args);
            }
            Value::Call(Box::new(func), Box::new(args))
        }
        Obj::Built(base, state) => {
            let (base, state) = (f(*base)?, f(*state)?);
            if let Value::Call(func, args) = &base
                && let Value::Global(module, name) = func.as_ref()
            {
                if module == "numpy" && name == "dtype" {
                    return numpy_dtype(args, &state);
                }
                if is_numpy(module) && name == "_reconstruct" {
                    return numpy_array(&state);
                }
            }
            Value::Built(Box::new(base), Box::new(state))
        }
    })
}

fn is_numpy(module: &str) -> bool {
    matches!(module, "numpy.core.multiarray" | "numpy._core.multiarray")
}

/// `dtype('f8', False, True)` with state `(3, '<', ...)` → `"<f8"`.
fn numpy_dtype(args: &Value, state: &Value) -> Result<Value> {
    let code = args
        .as_seq()
        .and_then(|a| a.first())
        .and_then(Value::as_str)
        .ok_or_else(|| bad("numpy dtype without a type code"))?;
    let order = state
        .as_seq()
        .and_then(|s| s.get(1))
        .and_then(Value::as_str)
        .unwrap_or("|");
    Ok(Value::Dtype(format!("{order}{code}")))
}

/// Decodes raw numpy data of dtype `dtype` into f64 values.
fn decode_raw(dtype: &str, raw: &[u8]) -> Result<Vec<f64>> {
    let big = dtype.starts_with('>');
    let code = dtype.trim_start_matches(['<', '>', '|', '=']);
    let width: usize = match code {
        "f8" | "i8" | "u8" => 8,
        "f4" | "i4" | "u4" => 4,
        "f2" | "i2" | "u2" => 2,
        "i1" | "u1" | "b1" => 1,
        other => return Err(bad(format!("numpy dtype {other:?} is not supported"))),
    };
    if !raw.len().is_multiple_of(width) {
        return Err(bad(format!(
            "{} bytes of numpy data do not divide into {width}-byte {code} values",
            raw.len()
        )));
    }
    Ok(raw
        .chunks_exact(width)
        .map(|c| {
            let mut b = [0u8; 8];
            if big {
                for (i, &x) in c.iter().rev().enumerate() {
                    b[i] = x;
                }
            } else {
                b[..width].copy_from_slice(c);
            }
            let u = u64::from_le_bytes(b);
            let sign_extend = |bits: u32| ((u << (64 - bits)) as i64 >> (64 - bits)) as f64;
            match code {
                "f8" => f64::from_bits(u),
                "f4" => f32::from_bits(u as u32) as f64,
                "f2" => half_to_f64(u as u16),
                "i8" => u as i64 as f64,
                "i4" => sign_extend(32),
                "i2" => sign_extend(16),
                "i1" => sign_extend(8),
                _ => u as f64,
            }
        })
        .collect())
}

fn half_to_f64(h: u16) -> f64 {
    let sign = if h >> 15 == 1 { -1.0 } else { 1.0 };
    let exp = (h >> 10 & 0x1f) as i32;
    let frac = (h & 0x3ff) as f64;
    match exp {
        0 => sign * frac * 2f64.powi(-24),
        31 if frac == 0.0 => sign * f64::INFINITY,
        31 => f64::NAN,
        e => sign * (1.0 + frac / 1024.0) * 2f64.powi(e - 15),
    }
}

/// `_reconstruct(ndarray, (0,), b'b')` with state `(1, shape, dtype, fortran, data)`.
fn numpy_array(state: &Value) -> Result<Value> {
    let s = state
        .as_seq()
        .filter(|s| s.len() == 5)
        .ok_or_else(|| bad("numpy array state is not (version, shape, dtype, fortran, data)"))?;
    let shape: Vec<usize> = s[1]
        .as_seq()
        .ok_or_else(|| bad("numpy array shape is not a tuple"))?
        .iter()
        .map(|d| d.as_i64().filter(|&d| d >= 0).map(|d| d as usize))
        .collect::<Option<_>>()
        .ok_or_else(|| bad("numpy array shape is not non-negative integers"))?;
    let Value::Dtype(dtype) = &s[2] else {
        return Err(bad("numpy array without a dtype"));
    };
    if s[3] == Value::Bool(true) && shape.len() > 1 {
        return Err(bad("Fortran-ordered numpy arrays are not supported"));
    }
    let data = match &s[4] {
        Value::Bytes(raw) => decode_raw(dtype, raw)?,
        Value::Str(raw) => decode_raw(dtype, &raw.chars().map(|c| c as u8).collect::<Vec<_>>())?,
        other => other
            .as_f64_vec()
            .ok_or_else(|| bad("numpy object arrays are not supported"))?,
    };
    let n: usize = shape.iter().product();
    if data.len() != n {
        return Err(bad(format!(
            "numpy array of shape {shape:?} holds {} values",
            data.len()
        )));
    }
    Ok(Value::Array { shape, data })
}

/// `scalar(dtype, bytes)` → a number.
fn numpy_scalar(args: &Value) -> Result<Value> {
    let a = args
        .as_seq()
        .filter(|a| a.len() == 2)
        .ok_or_else(|| bad("numpy scalar needs (dtype, data)"))?;
    let (Value::Dtype(dtype), Value::Bytes(raw)) = (&a[0], &a[1]) else {
        return Err(bad("numpy scalar needs (dtype, bytes)"));
    };
    let v = decode_raw(dtype, raw)?;
    let [x] = v[..] else {
        return Err(bad("numpy scalar data is not one value"));
    };
    Ok(if dtype.contains('f') {
        Value::Float(x)
    } else {
        Value::Int(x as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protocol_2_dict_of_list_and_float_decodes() {
        // pickle.dumps({'a': [1, 2.5], 'b': None}, protocol=2)
        let bytes: &[u8] = b"\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01]q\x02(K\x01G@\x04\x00\x00\x00\x00\x00\x00eX\x01\x00\x00\x00bq\x03Nu.";
        let v = load(bytes).unwrap();
        assert_eq!(v.get("a").unwrap().as_f64_vec().unwrap(), vec![1.0, 2.5]);
        assert_eq!(v.get("b"), Some(&Value::None));
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let bytes: &[u8] = b"\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01]q\x02(K\x01G@\x04\x00";
        for n in 0..bytes.len() {
            assert!(load(&bytes[..n]).is_err());
        }
    }

    #[test]
    fn two_pickles_in_a_row_are_both_read() {
        let bytes: &[u8] = b"\x80\x02K\x07.\x80\x02X\x02\x00\x00\x00hi.";
        let v = load_all(bytes).unwrap();
        assert_eq!(v, vec![Value::Int(7), Value::Str("hi".into())]);
    }

    #[test]
    fn negative_long1_integers_keep_their_sign() {
        // pickle.dumps(-300, protocol=2) → LONG1 2 bytes d4 fe
        let v = load(b"\x80\x02\x8a\x02\xd4\xfe.").unwrap();
        assert_eq!(v, Value::Int(-300));
    }
}
