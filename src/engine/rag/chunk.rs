//! Heading-aware chunking: markdown splits at headings (outside code fences), each chunk
//! carries its heading trail and source line range, and none exceeds what the embedder
//! reads; long sections become overlapping windows of whole lines.

use crate::engine::rag::corpus::Document;
use crate::engine::rag::embed::MAX_PIECES;

/// Word pieces left for the body after [CLS], [SEP] and a margin for the estimate.
const BUDGET: usize = MAX_PIECES - 2 - 14;
/// Pieces of the previous window repeated at the start of the next.
const OVERLAP: usize = 40;

/// One retrievable unit of a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chunk {
    pub path: String,
    /// 1-based, inclusive.
    pub line_start: u32,
    pub line_end: u32,
    /// The heading trail, outermost first, joined with " > ".
    pub heading: String,
    pub text: String,
}

impl Chunk {
    /// What is embedded and indexed: the heading trail gives a section's words context.
    pub fn indexed_text(&self) -> String {
        if self.heading.is_empty() {
            self.text.clone()
        } else {
            format!("{}\n{}", self.heading, self.text)
        }
    }
}

/// A run of lines under one heading trail.
struct Section {
    heading: String,
    /// (1-based line number, text)
    lines: Vec<(u32, String)>,
}

/// Splits `doc` into chunks; `pieces` counts a text's word pieces.
pub fn chunk(doc: &Document, pieces: &dyn Fn(&str) -> usize) -> Vec<Chunk> {
    let mut out = Vec::new();
    for section in sections(doc) {
        let heading_cost = pieces(&section.heading);
        let budget = BUDGET.saturating_sub(heading_cost).max(BUDGET / 4);
        window(doc, &section, budget, pieces, &mut out);
    }
    out
}

fn sections(doc: &Document) -> Vec<Section> {
    let mut trail: Vec<(usize, String)> = Vec::new();
    let mut sections = vec![Section {
        heading: String::new(),
        lines: Vec::new(),
    }];
    let mut in_fence = false;
    for (i, line) in doc.text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = line.trim_start();
        if doc.markdown && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            in_fence = !in_fence;
        }
        if doc.markdown && !in_fence {
            if let Some(level) = heading_level(trimmed) {
                let title = trimmed[level..]
                    .trim()
                    .trim_end_matches('#')
                    .trim()
                    .to_string();
                trail.retain(|(l, _)| *l < level);
                trail.push((level, title));
                sections.push(Section {
                    heading: trail
                        .iter()
                        .map(|(_, t)| t.as_str())
                        .collect::<Vec<_>>()
                        .join(" > "),
                    lines: Vec::new(),
                });
                continue;
            }
        }
        if let Some(s) = sections.last_mut() {
            s.lines.push((n, line.to_string()));
        }
    }
    sections.retain(|s| s.lines.iter().any(|(_, l)| !l.trim().is_empty()));
    sections
}

fn heading_level(line: &str) -> Option<usize> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with(' '))).then_some(level)
}

/// Packs whole lines into windows of at most `budget` pieces with `OVERLAP` pieces carried
/// over; a single line longer than the budget is cut into word windows of its own.
fn window(
    doc: &Document,
    s: &Section,
    budget: usize,
    pieces: &dyn Fn(&str) -> usize,
    out: &mut Vec<Chunk>,
) {
    // Trim blank lines at both ends so line ranges point at text.
    let first = s.lines.iter().position(|(_, l)| !l.trim().is_empty());
    let last = s.lines.iter().rposition(|(_, l)| !l.trim().is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return;
    };
    let lines = &s.lines[first..=last];
    let costs: Vec<usize> = lines.iter().map(|(_, l)| pieces(l) + 1).collect();
    let emit = |out: &mut Vec<Chunk>, from: usize, to: usize| {
        let text = lines[from..=to]
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        out.push(Chunk {
            path: doc.path.clone(),
            line_start: lines[from].0,
            line_end: lines[to].0,
            heading: s.heading.clone(),
            text,
        });
    };
    let mut start = 0;
    while start < lines.len() {
        if costs[start] > budget {
            split_long_line(doc, s, &lines[start], budget, pieces, out);
            start += 1;
            continue;
        }
        let mut end = start;
        let mut used = costs[start];
        while end + 1 < lines.len() && used + costs[end + 1] <= budget {
            end += 1;
            used += costs[end];
        }
        emit(out, start, end);
        if end + 1 >= lines.len() {
            break;
        }
        // Step back over up to OVERLAP pieces, but always move forward.
        let mut next = end + 1;
        let mut carried = 0;
        while next > start + 1 && carried + costs[next - 1] <= OVERLAP {
            next -= 1;
            carried += costs[next];
        }
        // A window never starts on a blank line.
        while next <= end && lines[next].1.trim().is_empty() {
            next += 1;
        }
        start = next;
    }
}

fn split_long_line(
    doc: &Document,
    s: &Section,
    (n, line): &(u32, String),
    budget: usize,
    pieces: &dyn Fn(&str) -> usize,
    out: &mut Vec<Chunk>,
) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        let mut used = 0;
        while j < words.len() {
            let c = pieces(words[j]) + 1;
            if used + c > budget && j > i {
                break;
            }
            used += c;
            j += 1;
        }
        out.push(Chunk {
            path: doc.path.clone(),
            line_start: *n,
            line_end: *n,
            heading: s.heading.clone(),
            text: words[i..j].join(" "),
        });
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document {
            path: "t.md".into(),
            text: text.into(),
            sha256: String::new(),
            markdown: true,
        }
    }

    fn words(t: &str) -> usize {
        t.split_whitespace().count()
    }

    #[test]
    fn headings_split_and_trail_and_line_ranges() {
        let d = doc(
            "# Top\nintro\n\n## A\nalpha one\nalpha two\n```\n# not a heading\n```\n## B\n\nbeta\n",
        );
        let c = chunk(&d, &words);
        assert_eq!(c.len(), 3);
        assert_eq!(
            (c[0].heading.as_str(), c[0].line_start, c[0].line_end),
            ("Top", 2, 2)
        );
        assert_eq!(c[1].heading, "Top > A");
        assert_eq!((c[1].line_start, c[1].line_end), (5, 9));
        assert!(c[1].text.contains("# not a heading"));
        assert_eq!((c[2].heading.as_str(), c[2].line_start), ("Top > B", 12));
    }

    #[test]
    fn long_sections_become_overlapping_windows_within_budget() {
        let body: Vec<String> = (0..400).map(|i| format!("w{i} x y z")).collect();
        let d = doc(&format!("# H\n{}\n", body.join("\n")));
        let c = chunk(&d, &words);
        assert!(c.len() > 5);
        for w in c.windows(2) {
            assert!(w[1].line_start <= w[0].line_end, "windows overlap");
            assert!(w[1].line_start > w[0].line_start, "windows advance");
        }
        assert!(c
            .iter()
            .all(|c| words(&c.indexed_text()) + c.text.lines().count() <= BUDGET));
        assert_eq!(c.last().unwrap().line_end, 401);
    }

    #[test]
    fn an_overlong_line_is_cut_into_word_windows() {
        let line = vec!["word"; 1000].join(" ");
        let c = chunk(&doc(&line), &words);
        assert!(c.len() >= 4);
        assert!(c
            .iter()
            .all(|c| c.line_start == 1 && words(&c.text) <= BUDGET));
        assert_eq!(c.iter().map(|c| words(&c.text)).sum::<usize>(), 1000);
    }
}
