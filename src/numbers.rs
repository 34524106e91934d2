//! How numbers are shown to people: answers, scores, differences and percentages, one rule each
//! for every table, text, report and chart.

/// A number as written in an answer: without a trailing `.0` when it is whole.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A score (0–100) with one decimal, or `—` when there is none.
pub fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "—".to_owned(), |s| format!("{s:.1}"))
}

/// A difference of scores with its sign and one decimal (`+2.5`, `−1.0`, `±0.0`), or `—`.
pub fn delta_text(delta: Option<f64>) -> String {
    match delta {
        Some(d) if d.abs() < 0.05 => "±0.0".to_owned(),
        Some(d) if d > 0.0 => format!("+{d:.1}"),
        Some(d) => format!("−{:.1}", d.abs()),
        None => "—".to_owned(),
    }
}

/// A fraction (0–1) as a percentage with one decimal, or `—`. Rounding never shows a part as
/// the whole or as nothing: 0.9996 is `99.9%`, not `100.0%`, so "complete" is never claimed
/// for an answer sheet that is not.
pub fn percent_text(fraction: Option<f64>) -> String {
    let Some(fraction) = fraction else {
        return "—".to_owned();
    };
    let percent = fraction * 100.0;
    let shown = if percent < 100.0 && percent > 99.9 {
        99.9
    } else if percent > 0.0 && percent < 0.1 {
        0.1
    } else {
        percent
    };
    format!("{shown:.1}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_differences_and_percentages() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-2.5), "-2.5");
        assert_eq!(score_text(Some(52.06)), "52.1");
        assert_eq!(score_text(None), "—");
        assert_eq!(delta_text(Some(2.46)), "+2.5");
        assert_eq!(delta_text(Some(-1.0)), "−1.0");
        assert_eq!(delta_text(Some(0.04)), "±0.0");
        assert_eq!(percent_text(Some(0.935)), "93.5%");
        assert_eq!(percent_text(Some(1.0)), "100.0%");
        assert_eq!(percent_text(Some(0.9996)), "99.9%");
        assert_eq!(percent_text(Some(0.0004)), "0.1%");
        assert_eq!(percent_text(Some(0.0)), "0.0%");
        assert_eq!(percent_text(None), "—");
    }
}
