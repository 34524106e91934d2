//! How numbers are shown to people: answers, scores, differences and percentages, one rule each
//! for every table, text, report and chart, written the way each language writes numbers.

/// How one language writes numbers: its decimal sign and the space it puts before `%`.
///
/// Machine-read outputs (CSV, JSON, the terminal table) and English use [`NumberStyle::PLAIN`];
/// the report in Spanish, Portuguese or French writes `52,1` and `93,5 %` as readers there expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberStyle {
    decimal: char,
    before_percent: &'static str,
}

impl Default for NumberStyle {
    fn default() -> Self {
        NumberStyle::PLAIN
    }
}

impl NumberStyle {
    /// A decimal point and no space before `%`: English, and every file meant for programs.
    pub const PLAIN: NumberStyle = NumberStyle {
        decimal: '.',
        before_percent: "",
    };

    /// The style of a language code (`es`, `pt-BR`, `fr`…); unknown languages get the plain one.
    pub fn of(lang: &str) -> NumberStyle {
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            // The RAE's rule: a decimal comma, and a (no-break) space before the percent sign.
            "es" => NumberStyle {
                decimal: ',',
                before_percent: "\u{a0}",
            },
            // French typography: a narrow no-break space before `%`.
            "fr" => NumberStyle {
                decimal: ',',
                before_percent: "\u{202f}",
            },
            "pt" => NumberStyle {
                decimal: ',',
                before_percent: "",
            },
            _ => NumberStyle::PLAIN,
        }
    }

    fn decimals(self, text: String) -> String {
        if self.decimal == '.' {
            text
        } else {
            text.replace('.', &self.decimal.to_string())
        }
    }

    /// A number as written in an answer: without a trailing decimal zero when it is whole.
    pub fn number(self, n: f64) -> String {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            self.decimals(format!("{n}"))
        }
    }

    /// A score (0–100) with one decimal, or `—` when there is none.
    pub fn score(self, score: Option<f64>) -> String {
        // Adding zero turns a negative zero (an empty selection's 0 × weight) into zero.
        score.map_or_else(
            || "—".to_owned(),
            |s| self.decimals(format!("{:.1}", s + 0.0)),
        )
    }

    /// A number with `places` decimals in the language's style (an index: `0,42`).
    pub fn decimal(self, n: f64, places: usize) -> String {
        // Adding zero turns a negative zero into zero.
        self.decimals(format!("{:.*}", places, n + 0.0))
    }

    /// A score rounded to a whole number, for chart labels where space is short.
    pub fn whole(self, score: f64) -> String {
        format!("{score:.0}")
    }

    /// A difference of scores with its sign and one decimal (`+2.5`, `−1.0`, `±0.0`), or `—`.
    pub fn delta(self, delta: Option<f64>) -> String {
        let text = match delta {
            Some(d) if d.abs() < 0.05 => "±0.0".to_owned(),
            Some(d) if d > 0.0 => format!("+{d:.1}"),
            Some(d) => format!("−{:.1}", d.abs()),
            None => return "—".to_owned(),
        };
        self.decimals(text)
    }

    /// An agreement coefficient (Krippendorff's alpha, at most 1) with three decimals, the
    /// precision it is published with (`0.667`, `−0.125`), or `—` when there is none.
    pub fn alpha(self, alpha: Option<f64>) -> String {
        let Some(alpha) = alpha else {
            return "—".to_owned();
        };
        let text = format!("{:.3}", alpha.abs());
        // A value that rounds to zero has no sign to show.
        if alpha < 0.0 && text != "0.000" {
            self.decimals(format!("−{text}"))
        } else {
            self.decimals(text)
        }
    }

    /// A fraction (0–1) as a percentage with one decimal, or `—`. Rounding never shows a part as
    /// the whole or as nothing: 0.9996 is `99.9%`, not `100.0%`, so "complete" is never claimed
    /// for an answer sheet that is not.
    pub fn percent(self, fraction: Option<f64>) -> String {
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
        format!(
            "{}{}%",
            self.decimals(format!("{shown:.1}")),
            self.before_percent
        )
    }
}

/// A score as shown: rounded to one decimal exactly as [`NumberStyle::score`] writes it.
pub fn shown_score(score: f64) -> f64 {
    format!("{score:.1}").parse().unwrap_or(score)
}

/// A score as shown, in tenths: `shown_score(score) × 10` as a whole number, the key on which
/// ranks are drawn (two scores shown alike share a rank). Without the text round trip of
/// [`shown_score`] unless the score lies within a hair of a half tenth, where only the exact
/// decimal rounding decides: `robustness` ranks a million scores a second this way, where the
/// round trip took most of its time.
pub fn shown_tenths(score: f64) -> i64 {
    let tenths = score * 10.0;
    let fraction = tenths - tenths.floor();
    if (fraction - 0.5).abs() > 1e-6 {
        tenths.round() as i64
    } else {
        (shown_score(score) * 10.0).round() as i64
    }
}

/// `to − from` of the scores as shown, so that a difference printed beside two scores is their
/// difference on the page (52.06 and 40.04 show as 52.1 and 40.0, so +12.1, not +12.0).
pub fn shown_difference(from: Option<f64>, to: Option<f64>) -> Option<f64> {
    Some(shown_score(to?) - shown_score(from?))
}

/// A number as written in an answer: without a trailing `.0` when it is whole.
pub fn format_number(n: f64) -> String {
    NumberStyle::PLAIN.number(n)
}

/// A score (0–100) with one decimal, or `—` when there is none.
pub fn score_text(score: Option<f64>) -> String {
    NumberStyle::PLAIN.score(score)
}

/// A difference of scores with its sign and one decimal (`+2.5`, `−1.0`, `±0.0`), or `—`.
pub fn delta_text(delta: Option<f64>) -> String {
    NumberStyle::PLAIN.delta(delta)
}

/// A fraction (0–1) as a percentage with one decimal, or `—` (see [`NumberStyle::percent`]).
pub fn percent_text(fraction: Option<f64>) -> String {
    NumberStyle::PLAIN.percent(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_has_three_decimals_in_each_languages_style() {
        let plain = NumberStyle::PLAIN;
        assert_eq!(plain.alpha(Some(0.6666)), "0.667");
        assert_eq!(plain.alpha(Some(1.0)), "1.000");
        assert_eq!(plain.alpha(Some(-0.125)), "−0.125");
        assert_eq!(plain.alpha(Some(-0.0001)), "0.000");
        assert_eq!(plain.alpha(None), "—");
        assert_eq!(NumberStyle::of("fr").alpha(Some(0.8147)), "0,815");
        assert_eq!(NumberStyle::of("es").alpha(Some(-0.5)), "−0,500");
    }

    #[test]
    fn scores_differences_and_percentages() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-2.5), "-2.5");
        assert_eq!(score_text(Some(52.06)), "52.1");
        assert_eq!(score_text(None), "—");
        assert_eq!(score_text(Some(-0.0)), "0.0");
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

    #[test]
    fn shown_differences_add_up_with_the_shown_scores() {
        assert_eq!(
            delta_text(shown_difference(Some(40.04), Some(52.06))),
            "+12.1"
        );
        assert_eq!(score_text(Some(52.25)), "52.2");
        assert_eq!(shown_score(52.25), 52.2);
        assert_eq!(shown_difference(None, Some(1.0)), None);
    }

    proptest::proptest! {
        /// The fast key of ranks is the score as shown, in tenths, for every score.
        #[test]
        fn shown_tenths_is_the_shown_score(score in 0.0f64..=100.0, tenths in 0u32..=1000) {
            proptest::prop_assert_eq!(shown_tenths(score), (shown_score(score) * 10.0).round() as i64);
            // Exact half tenths and their neighbours, where rounding is decided.
            let half = f64::from(tenths) / 10.0 + 0.05;
            for near in [half, half.next_up(), half.next_down()] {
                proptest::prop_assert_eq!(shown_tenths(near), (shown_score(near) * 10.0).round() as i64);
            }
        }
    }

    #[test]
    fn each_language_writes_its_own_decimal_sign_and_percent_space() {
        let es = NumberStyle::of("es");
        assert_eq!(es.score(Some(52.06)), "52,1");
        assert_eq!(es.delta(Some(-1.04)), "−1,0");
        assert_eq!(es.percent(Some(0.935)), "93,5\u{a0}%");
        assert_eq!(es.number(2.5), "2,5");
        assert_eq!(es.number(2000.0), "2000");
        assert_eq!(NumberStyle::of("fr-CA").percent(Some(0.5)), "50,0\u{202f}%");
        assert_eq!(NumberStyle::of("pt").percent(Some(0.5)), "50,0%");
        assert_eq!(NumberStyle::of("en").score(Some(1.25)), "1.2");
        assert_eq!(NumberStyle::of("xx"), NumberStyle::PLAIN);
        assert_eq!(es.score(None), "—");
        assert_eq!(es.decimal(0.4249, 2), "0,42");
        assert_eq!(NumberStyle::PLAIN.decimal(-0.0, 2), "0.00");
    }
}
