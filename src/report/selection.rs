//! Which countries and rounds a report covers: `report --countries A,B,… --round R`, chosen
//! before anything is scored, so that a meeting's report is the same as a report of its
//! countries' files alone.

use std::collections::BTreeSet;

use crate::Error;
use crate::inputs::CountryRounds;
use crate::model::{CountryCode, Round};
use crate::report::groups::{Group, Groups};

/// The countries and rounds a report covers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// The countries, or `None` for every one.
    countries: Option<BTreeSet<CountryCode>>,
    /// The countries given by their code rather than through a group, in the order given.
    named: Vec<CountryCode>,
    /// The last round, or `None` for every round.
    up_to: Option<Round>,
}

impl Selection {
    /// Every country and round.
    pub fn everything() -> Selection {
        Selection::default()
    }

    /// Reads `--countries` (each value a group, by id or name in any language and case, or else a
    /// country code; blank values are skipped) and `--round`: the report as of `up_to`.
    pub fn new(
        values: &[String],
        up_to: Option<Round>,
        groups: &Groups,
    ) -> Result<Selection, Error> {
        let mut selection = Selection {
            up_to,
            ..Selection::default()
        };
        let values: Vec<&str> = values
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            return Ok(selection);
        }
        let mut countries = BTreeSet::new();
        for value in values {
            if let Some(group) = find_group(groups, value) {
                countries.extend(group.members.iter().cloned());
                continue;
            }
            match CountryCode::parse(value) {
                Ok(code) => {
                    countries.insert(code.clone());
                    if !selection.named.contains(&code) {
                        selection.named.push(code);
                    }
                }
                Err(_) => return Err(Error::Usage(unknown_value(value, groups))),
            }
        }
        selection.countries = Some(countries);
        Ok(selection)
    }

    /// True when nothing is left out.
    pub fn is_everything(&self) -> bool {
        self.countries.is_none() && self.up_to.is_none()
    }

    /// Whether the report covers `country` in `round`.
    pub fn keeps(&self, country: &CountryCode, round: &Round) -> bool {
        self.countries.as_ref().is_none_or(|c| c.contains(country))
            && self.up_to.as_ref().is_none_or(|last| round <= last)
    }

    /// The numbers of the buckets the report covers, in order; an error naming what the
    /// responses hold when it covers none of them.
    pub fn buckets(&self, buckets: &CountryRounds) -> Result<Vec<usize>, Error> {
        let kept: Vec<usize> = buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| self.keeps(b.country, b.round))
            .map(|(i, _)| i)
            .collect();
        if kept.is_empty() && !buckets.is_empty() {
            let countries: BTreeSet<&str> = buckets.iter().map(|b| b.country.as_str()).collect();
            let rounds: BTreeSet<&Round> = buckets.iter().map(|b| b.round).collect();
            return Err(Error::NotFound(format!(
                "no response for {}; the responses cover {} in rounds {}",
                self.describe(),
                countries.into_iter().collect::<Vec<_>>().join(", "),
                rounds
                    .into_iter()
                    .map(Round::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(kept)
    }

    /// What the selection asks for and the responses lack, for warnings: each country given by
    /// its code that has no response, and the round `--round` names when no country kept has it.
    pub fn missing(&self, buckets: &CountryRounds) -> Vec<String> {
        let mut missing: Vec<String> = self
            .named
            .iter()
            .filter(|code| !buckets.iter().any(|b| b.country == *code))
            .map(|code| format!("no response for {code}, which --countries names"))
            .collect();
        if let Some(last) = &self.up_to
            && !buckets
                .iter()
                .any(|b| b.round == last && self.keeps(b.country, b.round))
        {
            missing.push(format!(
                "no response in round {last} for the countries reported; the report stops at the latest round before it"
            ));
        }
        missing
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(countries) = &self.countries {
            let codes: Vec<&str> = countries.iter().map(CountryCode::as_str).collect();
            parts.push(if codes.is_empty() {
                "the countries asked for (the groups named have no member)".to_owned()
            } else {
                codes.join(", ")
            });
        }
        if let Some(last) = &self.up_to {
            parts.push(format!("round {last} or earlier"));
        }
        parts.join(" in ")
    }
}

/// The group `value` names by its id or by its name in any language, ignoring case.
fn find_group<'g>(groups: &'g Groups, value: &str) -> Option<&'g Group> {
    let same = |text: &str| text.trim().to_lowercase() == value.to_lowercase();
    groups.groups.iter().find(|g| same(&g.id)).or_else(|| {
        groups
            .groups
            .iter()
            .find(|g| g.name.entries().any(|(_, name)| same(name)))
    })
}

fn unknown_value(value: &str, groups: &Groups) -> String {
    let known: Vec<String> = groups
        .groups
        .iter()
        .map(|g| format!("`{}`", g.id.escape_debug()))
        .collect();
    let groups_text = if known.is_empty() {
        "no group is defined".to_owned()
    } else {
        format!("the groups are {}", known.join(", "))
    };
    format!(
        "`{}` in --countries is neither a group nor a country code; expected an ISO 3166-1 code such as CO, a user-assigned code such as XA, or a group ({groups_text})",
        value.escape_debug()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(values: &[&str], up_to: Option<&str>) -> Result<Selection, Error> {
        let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
        let up_to = up_to.map(|r| Round::parse(r).unwrap());
        Selection::new(&values, up_to, &Groups::defaults())
    }

    fn code(text: &str) -> CountryCode {
        CountryCode::parse(text).unwrap()
    }

    fn round(text: &str) -> Round {
        Round::parse(text).unwrap()
    }

    #[test]
    fn a_group_brings_its_members_and_a_code_its_country() {
        let selection = select(&["EU", "col"], None).unwrap();
        assert!(selection.keeps(&code("FR"), &round("2025")));
        assert!(selection.keeps(&code("CO"), &round("2025")));
        assert!(!selection.keeps(&code("PE"), &round("2025")));
        assert_eq!(selection.named, [code("CO")]);
        // By name, in another language and case, too.
        let selection = select(&["amérique du sud"], None).unwrap();
        assert!(selection.keeps(&code("PE"), &round("2025")));
        assert!(!selection.keeps(&code("FR"), &round("2025")));
    }

    #[test]
    fn a_round_keeps_itself_and_the_rounds_before_it_in_natural_order() {
        let selection = select(&[], Some("2024-2")).unwrap();
        assert!(selection.keeps(&code("FR"), &round("2023")));
        assert!(selection.keeps(&code("FR"), &round("2024-2")));
        assert!(!selection.keeps(&code("FR"), &round("2024-10")));
        assert!(!selection.keeps(&code("FR"), &round("2025")));
        assert!(!selection.is_everything());
        assert!(select(&[" ", ""], None).unwrap().is_everything());
    }

    #[test]
    fn an_unknown_value_is_a_usage_error_naming_it_and_the_groups() {
        let Err(Error::Usage(message)) = select(&["CO", "Mercosur"], None) else {
            panic!("expected a usage error");
        };
        assert!(message.contains("`Mercosur` in --countries"), "{message}");
        assert!(message.contains("`EU`, `LAC`, `Caribbean`"), "{message}");
        assert!(matches!(select(&["XYZW"], None), Err(Error::Usage(_))));
    }
}
