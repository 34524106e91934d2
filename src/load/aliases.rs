//! How far the aliases of a YAML document expand: a few lines of anchors and aliases can stand
//! for billions of nodes (an "alias bomb"), which is worth naming as such when a file is refused.

use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Parser};

use crate::diagnostic::Position;

/// The most nodes a document may stand for with its aliases expanded; a response or
/// questionnaire has a few thousand.
pub const MAX_EXPANDED_NODES: u64 = 1_000_000;

/// The position of the first alias at which the document, with every alias expanded, stands for
/// more than `MAX_EXPANDED_NODES` nodes; `None` when it stays below, or cannot be parsed.
pub fn alias_bomb(text: &str) -> Option<Position> {
    let mut parser = Parser::new_from_str(text);
    // The size of each anchored node, and of each collection still open (with its anchor).
    let mut anchored: HashMap<usize, u64> = HashMap::new();
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut total: u64 = 0;
    while let Some(result) = parser.next_event() {
        let (event, span) = result.ok()?;
        let (added, closed_anchor) = match event {
            Event::Scalar(_, _, anchor, _) => (1, Some(anchor)),
            Event::Alias(id) => (anchored.get(&id).copied().unwrap_or(1), None),
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                open.push((anchor, 1));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (anchor, size) = open.pop()?;
                if anchor != 0 {
                    anchored.insert(anchor, size);
                }
                if let Some(parent) = open.last_mut() {
                    parent.1 = parent.1.saturating_add(size);
                } else {
                    total = total.saturating_add(size);
                }
                continue;
            }
            _ => continue,
        };
        if let Some(anchor) = closed_anchor.filter(|a| *a != 0) {
            anchored.insert(anchor, added);
        }
        match open.last_mut() {
            Some(parent) => parent.1 = parent.1.saturating_add(added),
            None => total = total.saturating_add(added),
        }
        let pending: u64 = open.iter().map(|(_, size)| *size).sum();
        if total.saturating_add(pending) > MAX_EXPANDED_NODES {
            let start = span.start;
            return Some(Position::new(start.line() as u64, start.col() as u64 + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bomb(levels: usize) -> String {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..=levels {
            let previous = format!("*a{}", i - 1);
            text.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [previous.as_str(); 10].join(", ")
            ));
        }
        text
    }

    #[test]
    fn a_bomb_is_found_at_the_alias_that_crosses_the_limit() {
        // `a4` stands for 111,111 nodes, and the file before `a5` for about 123,000: the eighth
        // `*a4` of `a5` crosses a million.
        assert_eq!(alias_bomb(&bomb(9)), Some(Position::new(6, 45)));
        // A few levels stay well below the limit.
        assert_eq!(alias_bomb(&bomb(3)), None);
        assert_eq!(alias_bomb("a: &x 1\nb: *x\nc: [*x, *x]\n"), None);
    }
}
