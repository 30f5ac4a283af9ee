//! Strategy parameters, as given under `params:` in a tournament YAML.

use std::collections::BTreeMap;
use std::fmt;

/// One parameter value. YAML numbers become `Number`, booleans `Bool`, strings `Text`.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    Number(f64),
    Bool(bool),
    Text(String),
}

/// A bad or unknown parameter, reported with its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub param: String,
    pub message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameter `{}`: {}", self.param, self.message)
    }
}

impl std::error::Error for ParamError {}

/// Named parameters, ordered by name so that iteration (and anything derived) is deterministic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(pub BTreeMap<String, ParamValue>);

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, name: &str, value: ParamValue) -> Self {
        self.0.insert(name.to_string(), value);
        self
    }

    pub fn number(self, name: &str, value: f64) -> Self {
        self.with(name, ParamValue::Number(value))
    }

    /// A number parameter, `default` when absent; an error when present with another type or
    /// not finite.
    pub fn get_f64(&self, name: &str, default: f64) -> Result<f64, ParamError> {
        match self.0.get(name) {
            None => Ok(default),
            Some(ParamValue::Number(x)) if x.is_finite() => Ok(*x),
            Some(other) => Err(ParamError {
                param: name.to_string(),
                message: format!("expected a finite number, got {other:?}"),
            }),
        }
    }

    /// A number in `[lo, hi]`.
    pub fn get_f64_in(
        &self,
        name: &str,
        default: f64,
        lo: f64,
        hi: f64,
    ) -> Result<f64, ParamError> {
        let x = self.get_f64(name, default)?;
        if x < lo || x > hi {
            return Err(ParamError {
                param: name.to_string(),
                message: format!("expected a number in [{lo}, {hi}], got {x}"),
            });
        }
        Ok(x)
    }

    pub fn get_bool(&self, name: &str, default: bool) -> Result<bool, ParamError> {
        match self.0.get(name) {
            None => Ok(default),
            Some(ParamValue::Bool(b)) => Ok(*b),
            Some(other) => Err(ParamError {
                param: name.to_string(),
                message: format!("expected true or false, got {other:?}"),
            }),
        }
    }

    pub fn get_text<'a>(&'a self, name: &str, default: &'a str) -> Result<&'a str, ParamError> {
        match self.0.get(name) {
            None => Ok(default),
            Some(ParamValue::Text(s)) => Ok(s),
            Some(other) => Err(ParamError {
                param: name.to_string(),
                message: format!("expected text, got {other:?}"),
            }),
        }
    }

    /// Reject parameters a strategy does not know (typos must not pass silently).
    pub fn only(&self, known: &[&str]) -> Result<(), ParamError> {
        for name in self.0.keys() {
            if !known.contains(&name.as_str()) {
                return Err(ParamError {
                    param: name.clone(),
                    message: format!("unknown parameter; known: {}", known.join(", ")),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_access_and_errors_name_the_parameter() {
        let p = Params::new()
            .number("x", 2.0)
            .with("flag", ParamValue::Bool(true));
        assert_eq!(p.get_f64("x", 0.0), Ok(2.0));
        assert_eq!(p.get_f64("missing", 3.0), Ok(3.0));
        assert_eq!(p.get_bool("flag", false), Ok(true));
        assert_eq!(p.get_f64("flag", 0.0).unwrap_err().param, "flag");
        assert!(p.get_f64_in("x", 0.0, 0.0, 1.0).is_err());
        assert_eq!(p.only(&["x"]).unwrap_err().param, "flag");
        assert!(p.only(&["x", "flag"]).is_ok());
    }
}
