//! Where each field of a manifest sits in its YAML text, so that semantic errors can point
//! at `file:line:col` the way parse errors do.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// Field path (`spec.nodes[1].listen`) to the position of its value.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    values: HashMap<String, Pos>,
    /// Scalar values by path, to find which field a value-only error is about.
    scalars: Vec<(String, String)>,
}

impl SourceMap {
    /// Indexes `text`; a text that does not parse gives an empty map (serde reports the
    /// syntax error itself).
    pub fn build(text: &str) -> SourceMap {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return SourceMap::default();
        }
        SourceMap {
            values: builder.values,
            scalars: builder.scalars,
        }
    }

    /// The first field at or below `prefix` whose scalar value is `value`.
    pub fn find_value(&self, prefix: &str, value: &str) -> Option<(String, Pos)> {
        self.scalars
            .iter()
            .find(|(path, v)| {
                v == value
                    && (prefix.is_empty()
                        || path == prefix
                        || path.starts_with(&format!("{prefix}."))
                        || path.starts_with(&format!("{prefix}[")))
            })
            .map(|(path, _)| (path.clone(), self.values[path]))
    }

    /// The position of a field, or of its nearest ancestor that was written out.
    pub fn locate(&self, path: &str) -> Pos {
        let mut path = path;
        loop {
            if let Some(pos) = self.values.get(path) {
                return *pos;
            }
            match path.rfind(['.', '[']) {
                Some(i) => path = &path[..i],
                None => {
                    return self
                        .values
                        .get("")
                        .copied()
                        .unwrap_or(Pos { line: 1, column: 1 })
                }
            }
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    values: HashMap<String, Pos>,
    scalars: Vec<(String, String)>,
}

impl Builder {
    /// The path of the value that starts now, or `None` when a mapping key starts.
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { key: None, .. }) => None,
            Some(Frame::Map { path, key }) => {
                let key = key.take().unwrap_or_default();
                Some(if path.is_empty() {
                    key
                } else {
                    format!("{path}.{key}")
                })
            }
            Some(Frame::Seq { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos {
            line: mark.line(),
            column: mark.col() + 1,
        };
        match ev {
            Event::Scalar(text, ..) => match self.next_value_path() {
                Some(path) => {
                    self.values.insert(path.clone(), pos);
                    self.scalars.push((path, text));
                }
                None => {
                    if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                        *key = Some(text);
                    }
                }
            },
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                // A collection used as a mapping key has no field path; index it anyway.
                let path = self.next_value_path().unwrap_or_default();
                self.values.insert(path.clone(), pos);
                self.stack.push(if is_map {
                    Frame::Map { path, key: None }
                } else {
                    Frame::Seq { path, index: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                self.next_value_path();
            }
            _ => {}
        }
    }
}
