//! References from a question to the items of other frameworks: `FRAMEWORK-EDITION ITEM`, e.g.
//! `CMM-2021 D3.2`, `GCI-2024 Capacity Development`, `NCAF-2020 7`, `NCSI-2 3.1`. The edition is
//! part of every ref because frameworks renumber their items between editions (NCAF 2.0 has 20
//! objectives where NCAF 2020 had 17), and an item number without its edition cannot be traced.

/// One parsed reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameworkRef<'a> {
    /// The framework's short name, e.g. `CMM`.
    pub framework: &'a str,
    /// The edition, e.g. `2021`.
    pub edition: &'a str,
    /// The item within that edition, e.g. `D3.2`.
    pub item: &'a str,
}

/// An edition this tool knows the structure of: framework, edition, what an item looks like, and
/// the check of an item.
struct Edition(&'static str, &'static str, &'static str, fn(&str) -> bool);

const KNOWN: &[Edition] = &[
    Edition(
        "CMM",
        "2021",
        "a factor D1.1–D1.4, D2.1–D2.5, D3.1–D3.4, D4.1–D4.4 or D5.1–D5.6",
        cmm_2021,
    ),
    Edition(
        "GCI",
        "2024",
        "a pillar: Legal, Technical, Organizational, Capacity Development or Cooperation",
        gci_2024,
    ),
    Edition("NCAF", "2020", "an objective 1–17", |item| {
        number_in(item, 1, 17)
    }),
    Edition("NCAF", "2026", "an objective 1–20", |item| {
        number_in(item, 1, 20)
    }),
    Edition("NCSI", "2", "an indicator N.M of area 1–12", ncsi_item),
    Edition("NCSI", "3", "an indicator N.M of area 1–12", ncsi_item),
];

fn number_in(item: &str, low: u32, high: u32) -> bool {
    item.bytes().all(|b| b.is_ascii_digit())
        && !item.starts_with('0')
        && item.parse::<u32>().is_ok_and(|n| (low..=high).contains(&n))
}

fn cmm_2021(item: &str) -> bool {
    let Some((dimension, factor)) = item.strip_prefix('D').and_then(|d| d.split_once('.')) else {
        return false;
    };
    let factors = match dimension {
        "1" | "3" | "4" => 4,
        "2" => 5,
        "5" => 6,
        _ => return false,
    };
    number_in(factor, 1, factors)
}

fn gci_2024(item: &str) -> bool {
    [
        "Legal",
        "Technical",
        "Organizational",
        "Capacity Development",
        "Cooperation",
    ]
    .contains(&item)
}

fn ncsi_item(item: &str) -> bool {
    item.split_once('.')
        .is_some_and(|(area, indicator)| number_in(area, 1, 12) && number_in(indicator, 1, 20))
}

/// Reads `FRAMEWORK-EDITION ITEM`; `None` when the text has another shape.
pub fn parse(text: &str) -> Option<FrameworkRef<'_>> {
    let (name, item) = text.split_once(' ')?;
    let (framework, edition) = name.split_once('-')?;
    let word = |s: &str, allowed: fn(u8) -> bool| !s.is_empty() && s.bytes().all(allowed);
    let well_formed = word(framework, |b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && word(edition, |b| b.is_ascii_alphanumeric() || b == b'.')
        && !item.trim().is_empty()
        && item.trim() == item
        && !item.contains("  ");
    well_formed.then_some(FrameworkRef {
        framework,
        edition,
        item,
    })
}

/// Reads the form written before refs named their edition, `FRAMEWORK ITEM` (`NCAF 7`, `GCI
/// Capacity Development`): the framework and the item; `None` for any other shape, a versioned
/// ref included.
pub fn parse_unversioned(text: &str) -> Option<(&str, &str)> {
    let (framework, item) = text.split_once(' ')?;
    let well_formed = !framework.is_empty()
        && framework
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && !item.trim().is_empty()
        && item.trim() == item
        && !item.contains("  ");
    well_formed.then_some((framework, item))
}

/// Every edition this tool knows the items of, as (framework, edition), in a stable order.
pub fn known_editions() -> impl Iterator<Item = (&'static str, &'static str)> {
    KNOWN
        .iter()
        .map(|Edition(framework, edition, ..)| (*framework, *edition))
}

/// Whether `item` is an item of `framework`-`edition`; `None` when the edition is not known.
pub fn is_item(framework: &str, edition: &str, item: &str) -> Option<bool> {
    KNOWN
        .iter()
        .find(|Edition(f, e, ..)| *f == framework && *e == edition)
        .map(|Edition(.., check)| check(item))
}

/// What is wrong with a ref, for `validate`; `None` when it is well formed and, for an edition
/// this tool knows, names an item that edition has.
pub fn problem(text: &str) -> Option<String> {
    let Some(found) = parse(text) else {
        return Some(format!(
            "ref `{}` is not `FRAMEWORK-EDITION ITEM`; expected e.g. `CMM-2021 D3.2` or `NCAF-2020 7`",
            text.escape_debug()
        ));
    };
    let known = KNOWN.iter().find(|Edition(framework, edition, ..)| {
        *framework == found.framework && *edition == found.edition
    });
    match known {
        Some(Edition(framework, edition, expected, check)) if !check(found.item) => Some(format!(
            "ref `{text}` names no item of {framework}-{edition}; expected {expected}"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_of_each_known_edition_are_read() {
        for good in [
            "CMM-2021 D1.1",
            "CMM-2021 D2.5",
            "CMM-2021 D5.6",
            "GCI-2024 Capacity Development",
            "NCAF-2020 17",
            "NCAF-2026 20",
            "NCSI-2 3.1",
            "NCSI-3 12.4",
            "ISO-27001 A.5.7",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
        assert_eq!(
            parse("GCI-2024 Capacity Development"),
            Some(FrameworkRef {
                framework: "GCI",
                edition: "2024",
                item: "Capacity Development"
            })
        );
    }

    #[test]
    fn the_form_without_edition_is_read_apart() {
        assert_eq!(parse_unversioned("NCAF 7"), Some(("NCAF", "7")));
        assert_eq!(
            parse_unversioned("GCI Capacity Development"),
            Some(("GCI", "Capacity Development"))
        );
        assert_eq!(parse_unversioned("NCAF-2020 7"), None);
        assert_eq!(parse_unversioned("ncaf 7"), None);
        assert_eq!(parse_unversioned("NCAF  7"), None);
        assert_eq!(is_item("NCAF", "2020", "17"), Some(true));
        assert_eq!(is_item("NCAF", "2020", "18"), Some(false));
        assert_eq!(is_item("NCAF", "1999", "1"), None);
        assert!(known_editions().any(|e| e == ("NCSI", "3")));
    }

    #[test]
    fn a_ref_without_edition_or_with_an_item_the_edition_lacks_is_named() {
        let unversioned = problem("CMM D3.2").unwrap();
        assert!(
            unversioned.contains("FRAMEWORK-EDITION ITEM"),
            "{unversioned}"
        );
        for (bad, expected) in [
            ("CMM-2021 D2.6", "D2.1–D2.5"),
            ("CMM-2021 D6.1", "factor"),
            ("NCAF-2020 18", "1–17"),
            ("NCAF-2020 07", "1–17"),
            ("GCI-2024 Capacity", "pillar"),
            ("NCSI-2 13.1", "area 1–12"),
        ] {
            let message = problem(bad).unwrap_or_default();
            assert!(message.contains(expected), "{bad}: {message}");
        }
        assert!(problem("CMM-2021  D3.2").is_some());
        assert!(problem("cmm-2021 D3.2").is_some());
        assert!(problem("").is_some());
    }
}
