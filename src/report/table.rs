//! Plain-text tables aligned on character counts.

/// How a column lines up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// A table built row by row and rendered with two spaces between columns.
#[derive(Debug, Default)]
pub struct Table {
    aligns: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column alignments and header.
    pub fn new(header: &[(&str, Align)]) -> Self {
        Table {
            aligns: header.iter().map(|(_, a)| *a).collect(),
            rows: vec![header.iter().map(|(h, _)| (*h).to_owned()).collect()],
        }
    }

    /// Adds a row; control characters are blanked so a hostile text cannot drive the terminal.
    pub fn row(&mut self, cells: Vec<String>) {
        let cells = cells
            .into_iter()
            .map(|c| {
                c.chars()
                    .map(|ch| if ch.is_control() { ' ' } else { ch })
                    .collect()
            })
            .collect();
        self.rows.push(cells);
    }

    /// The rendered table, one line per row, lines ending in `\n`.
    pub fn render(&self) -> String {
        let columns = self.aligns.len();
        let mut widths = vec![0; columns];
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(columns) {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = widths[i] - cell.chars().count();
                match self.aligns[i] {
                    Align::Left => {
                        line.push_str(cell);
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                    Align::Right => {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let mut t = Table::new(&[("name", Align::Left), ("score", Align::Right)]);
        t.row(vec!["XA".into(), "5.0".into()]);
        t.row(vec!["longer".into(), "100.0".into()]);
        assert_eq!(t.render(), "name    score\nXA        5.0\nlonger  100.0\n");
    }
}
