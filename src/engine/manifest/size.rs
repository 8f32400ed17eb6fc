//! Sizes in manifests: `512KiB`, `16MiB`, `2GiB`, or a number of bytes.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A size in bytes, written `512KiB`, `16MiB`, `2GiB` (or kB, MB, GB for powers of ten),
/// or a plain number of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(pub u64);

impl ByteSize {
    const UNITS: [(&'static str, u64); 8] = [
        ("TiB", 1 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
        ("TB", 1_000_000_000_000),
        ("GB", 1_000_000_000),
        ("MB", 1_000_000),
        ("kB", 1_000),
    ];

    /// Parses `16MiB`, `1.5GiB`, `100MB`, `4096` or `4096B`.
    pub fn parse(text: &str) -> Result<ByteSize, String> {
        let t = text.trim();
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (number, unit) = (t[..split].trim(), t[split..].trim());
        let scale = match unit {
            "" | "B" => 1,
            _ => (Self::UNITS.iter())
                .find(|(u, _)| u.eq_ignore_ascii_case(unit))
                .map(|(_, s)| *s)
                .ok_or_else(|| format!("unknown unit `{unit}`"))?,
        };
        let value: f64 = number
            .parse()
            .map_err(|_| format!("`{number}` is not a number"))?;
        let bytes = value * scale as f64;
        if !bytes.is_finite() || bytes < 0.0 || bytes >= u64::MAX as f64 {
            return Err("out of range".into());
        }
        Ok(ByteSize(bytes.round() as u64))
    }
}

impl fmt::Display for ByteSize {
    /// The largest binary unit that divides the size: `16MiB`, `1536KiB`, `1000B`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut binary = Self::UNITS.iter().take(4);
        match binary.find(|(_, s)| self.0 != 0 && self.0.is_multiple_of(*s)) {
            Some((unit, scale)) => write!(f, "{}{unit}", self.0 / scale),
            None => write!(f, "{}B", self.0),
        }
    }
}

impl Serialize for ByteSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(n) => Ok(ByteSize(n)),
            Raw::Text(text) => ByteSize::parse(&text).map_err(|e| {
                serde::de::Error::custom(format!(
                    "invalid size `{text}`: {e} (write it like 512KiB, 16MiB or 2GiB)"
                ))
            }),
        }
    }
}

impl JsonSchema for ByteSize {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ByteSize".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A size such as 512KiB, 16MiB or 2GiB, or a number of bytes",
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": "^\\s*[0-9.]+\\s*([kKmMgGtT]i?[bB]|[bB])?\\s*$"}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_binary_and_decimal_units_and_print_in_the_largest_binary_one() {
        for (text, bytes) in [
            ("16MiB", 16 << 20),
            ("1.5GiB", 3 << 29),
            ("512 KiB", 512 << 10),
            ("100MB", 100_000_000),
            ("4096", 4096),
            ("4096B", 4096),
            ("2gib", 2 << 30),
        ] {
            assert_eq!(ByteSize::parse(text), Ok(ByteSize(bytes)), "{text}");
        }
        for bad in ["", "MiB", "12 parsecs", "-1MiB", "1e30GiB"] {
            assert!(ByteSize::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ByteSize(16 << 20).to_string(), "16MiB");
        assert_eq!(ByteSize(1536 << 10).to_string(), "1536KiB");
        assert_eq!(ByteSize(1000).to_string(), "1000B");
        assert_eq!(ByteSize(0).to_string(), "0B");
        let y: ByteSize = serde_norway::from_str("2GiB").unwrap();
        assert_eq!(y, ByteSize(2 << 30));
        let n: ByteSize = serde_norway::from_str("1048576").unwrap();
        assert_eq!(n.to_string(), "1MiB");
    }
}
