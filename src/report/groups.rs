//! Comparison groups: the embedded defaults (EU, LAC and its sub-regions) and groups files.
//!
//! A groups file maps group names to country codes, in one of two forms that may be mixed:
//!
//! ```yaml
//! "EU (sample)": [XA, XB]                 # name → members
//! groups:                                 # or under `groups:`, with localized names
//!   andean:
//!     name: {en: Andean Community, es: Comunidad Andina}
//!     members: [BO, CO, EC, PE]
//! names:                                  # names of user-assigned codes
//!   XA: {en: "Avalon (sample)"}
//! replace: true                           # drop the default groups (default: add to them)
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::Error;
use crate::diagnostic::At;
use crate::diagnostic::{Diagnostic, Findings};
use crate::load::{Source, parse_yaml};
use crate::model::CountryCode;
use crate::model::country::CountryCodeError;
use crate::model::text::LocalizedText;

/// The default groups, embedded.
const DEFAULT_GROUPS: &str = include_str!("../../data/default-groups.yaml");

/// A named set of countries to average and compare against.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Identifier as written in the file.
    pub id: String,
    /// Display name.
    pub name: LocalizedText,
    /// Members, in file order, without duplicates.
    pub members: Vec<CountryCode>,
}

/// Groups and the names of entities that ISO does not name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Groups {
    /// Groups in order: defaults first, then the file's.
    pub groups: Vec<Group>,
    /// Names of user-assigned codes (and overrides of ISO names).
    pub names: HashMap<CountryCode, LocalizedText>,
}

impl Groups {
    /// The embedded default groups.
    pub fn defaults() -> Groups {
        let source = Source::from_text(Path::new("default-groups.yaml"), DEFAULT_GROUPS);
        // Checked by the tests; never fails at run time.
        read_groups(&source).map(|(g, _, _)| g).unwrap_or_default()
    }

    /// The defaults combined with a groups file: its groups are added (or replace the defaults
    /// with `replace: true`); returns the warnings about it.
    pub fn with_file(path: &Path) -> Result<(Groups, Vec<Diagnostic>), Error> {
        let source = Source::read(path)?;
        let (file, replace, warnings) = read_groups(&source).map_err(Error::Invalid)?;
        let mut groups = if replace {
            Groups::default()
        } else {
            Groups::defaults()
        };
        for group in file.groups {
            match groups.groups.iter_mut().find(|g| g.id == group.id) {
                Some(existing) => *existing = group,
                None => groups.groups.push(group),
            }
        }
        groups.names.extend(file.names);
        Ok((groups, warnings))
    }

    /// The groups `country` belongs to.
    pub fn of<'a>(&'a self, country: &'a CountryCode) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups
            .iter()
            .filter(move |g| g.members.contains(country))
    }

    /// The display name of a country in `lang`: from the groups file, else ISO, else its code.
    pub fn country_name(&self, country: &CountryCode, lang: &str) -> String {
        if let Some(name) = self.names.get(country) {
            return name.get(lang).to_owned();
        }
        country
            .name(lang)
            .map_or_else(|| country.to_string(), str::to_owned)
    }
}

/// Reads a groups file: the groups, whether they replace the defaults, and warnings.
fn read_groups(source: &Source) -> Result<(Groups, bool, Vec<Diagnostic>), Vec<Diagnostic>> {
    let doc: GroupsDoc = parse_yaml(source).map_err(|d| vec![d])?;
    let mut findings = Findings::new(&source.path);
    let mut groups = Vec::new();
    for (id, value) in doc.groups {
        if id.value.trim().is_empty() {
            findings.error(
                id.position,
                "empty group name; expected a name such as `Andean Community`",
            );
            continue;
        }
        if groups.iter().any(|g: &Group| g.id == id.value) {
            findings.error(
                id.position,
                format!(
                    "group `{}` is defined twice; expected each group once",
                    id.value
                ),
            );
            continue;
        }
        for key in &value.unknown {
            findings.error(
                key.position,
                format!(
                    "unknown key `{}` in group `{}`; expected `name` or `members`",
                    key.value, id.value
                ),
            );
        }
        let Some(listed) = &value.members else {
            findings.error(
                id.position,
                format!(
                    "group `{}` has no `members`; expected `members: [codes...]`",
                    id.value
                ),
            );
            continue;
        };
        let mut members: Vec<CountryCode> = Vec::new();
        for code in listed {
            match CountryCode::parse(&code.value) {
                Ok(c) if members.contains(&c) => findings.warning(
                    code.position,
                    format!("`{}` is listed twice in group `{}`", code.value, id.value),
                ),
                Ok(c) => members.push(c),
                Err(CountryCodeError::Malformed) => findings.warning(
                    code.position,
                    format!(
                        "`{}` is not a country code and is left out of group `{}`; expected an ISO 3166-1 code such as CO or a user-assigned code such as XA",
                        code.value.escape_debug(),
                        id.value
                    ),
                ),
                Err(CountryCodeError::Unassigned) => findings.warning(
                    code.position,
                    format!(
                        "unknown country code `{}` is left out of group `{}`; expected an ISO 3166-1 code or a user-assigned code (AA, QM–QZ, XA–XZ, ZZ)",
                        code.value, id.value
                    ),
                ),
            }
        }
        groups.push(Group {
            name: value
                .name
                .unwrap_or_else(|| LocalizedText::Plain(id.value.clone())),
            id: id.value,
            members,
        });
    }
    let mut names = HashMap::new();
    for (code, name) in doc.names {
        match CountryCode::parse(&code.value) {
            Ok(c) => {
                names.insert(c, name.value);
            }
            Err(_) => findings.warning(
                code.position,
                format!(
                    "`{}` is not a country code; its name is ignored",
                    code.value.escape_debug()
                ),
            ),
        }
    }
    if findings.has_errors() {
        return Err(findings.items);
    }
    Ok((Groups { groups, names }, doc.replace, findings.items))
}

/// A groups file as written.
#[derive(Debug, Default)]
struct GroupsDoc {
    groups: Vec<(At<String>, GroupDoc)>,
    names: Vec<(At<String>, At<LocalizedText>)>,
    replace: bool,
}

/// One group: a list of codes, or a map with `name` and `members`.
#[derive(Debug, Default)]
struct GroupDoc {
    name: Option<LocalizedText>,
    members: Option<Vec<At<String>>>,
    /// Keys other than `name` and `members`, reported at their positions.
    unknown: Vec<At<String>>,
}

impl<'de> Deserialize<'de> for GroupsDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocVisitor;

        impl<'de> Visitor<'de> for DocVisitor {
            type Value = GroupsDoc;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map from group name to country codes")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut doc = GroupsDoc::default();
                while let Some(key) = access.next_key::<At<String>>()? {
                    match key.value.as_str() {
                        "groups" => doc
                            .groups
                            .extend(access.next_value::<Entries<GroupDoc>>()?.0),
                        "names" => doc
                            .names
                            .extend(access.next_value::<Entries<At<LocalizedText>>>()?.0),
                        "replace" => doc.replace = access.next_value::<bool>()?,
                        _ => {
                            let group = access.next_value::<GroupDoc>()?;
                            doc.groups.push((key, group));
                        }
                    }
                }
                Ok(doc)
            }
        }

        deserializer.deserialize_map(DocVisitor)
    }
}

/// Map entries in file order, keys with their positions.
struct Entries<T>(Vec<(At<String>, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = access.next_key::<At<String>>()? {
                    entries.push((key, access.next_value::<T>()?));
                }
                Ok(Entries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor(std::marker::PhantomData))
    }
}

impl<'de> Deserialize<'de> for GroupDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GroupVisitor;

        impl<'de> Visitor<'de> for GroupVisitor {
            type Value = GroupDoc;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of country codes, or a map with `name` and `members`")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(code) = access.next_element::<At<String>>()? {
                    members.push(code);
                }
                Ok(GroupDoc {
                    members: Some(members),
                    ..GroupDoc::default()
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut group = GroupDoc::default();
                while let Some(key) = access.next_key::<At<String>>()? {
                    match key.value.as_str() {
                        "name" => group.name = Some(access.next_value()?),
                        "members" => group.members = Some(access.next_value()?),
                        _ => {
                            access.next_value::<de::IgnoredAny>()?;
                            group.unknown.push(key);
                        }
                    }
                }
                Ok(group)
            }
        }

        deserializer.deserialize_any(GroupVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    fn read(text: &str) -> Result<(Groups, bool, Vec<Diagnostic>), Vec<Diagnostic>> {
        read_groups(&Source::from_text(Path::new("g.yaml"), text))
    }

    #[test]
    fn the_defaults_hold_eu_lac_and_its_sub_regions() {
        let source = Source::from_text(Path::new("default-groups.yaml"), DEFAULT_GROUPS);
        let (groups, replace, warnings) = read_groups(&source).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(!replace);
        let size = |id: &str| {
            groups
                .groups
                .iter()
                .find(|g| g.id == id)
                .unwrap()
                .members
                .len()
        };
        assert_eq!(size("EU"), 27);
        assert_eq!(size("LAC"), 33);
        assert_eq!(
            size("Caribbean") + size("Central America") + size("South America"),
            33
        );
        let colombia = CountryCode::parse("CO").unwrap();
        let of: Vec<&str> = groups.of(&colombia).map(|g| g.id.as_str()).collect();
        assert_eq!(of, ["LAC", "South America"]);
    }

    #[test]
    fn both_forms_and_localized_names() {
        let text = "\"EU (sample)\": [XA, xb]\ngroups:\n  andean:\n    name: {en: Andean, es: Andina}\n    members: [BO, CO]\nnames:\n  XA: {en: Avalon, es: Avalón}\nreplace: true\n";
        let (groups, replace, warnings) = read(text).unwrap();
        assert!(replace && warnings.is_empty());
        assert_eq!(groups.groups[0].id, "EU (sample)");
        assert_eq!(groups.groups[0].members[1].as_str(), "XB");
        assert_eq!(groups.groups[1].name.get("es"), "Andina");
        let xa = CountryCode::parse("XA").unwrap();
        assert_eq!(groups.country_name(&xa, "es"), "Avalón");
        assert_eq!(
            groups.country_name(&CountryCode::parse("XB").unwrap(), "es"),
            "XB"
        );
        assert_eq!(
            groups.country_name(&CountryCode::parse("BO").unwrap(), "fr"),
            "Bolivie"
        );
    }

    #[test]
    fn an_unknown_code_is_a_warning_at_its_position() {
        let (groups, _, warnings) = read("g: [CO, UK, \"../x\"]\n").unwrap();
        assert_eq!(groups.groups[0].members.len(), 1);
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].position, Position::new(1, 9));
        assert!(warnings[0].message.contains("unknown country code `UK`"));
    }

    #[test]
    fn a_bad_file_is_an_error_at_its_position() {
        let errors = read("g:\n  name: x\n  member: [CO]\n").unwrap_err();
        assert_eq!(errors[0].position.line, 3, "{errors:?}");
        assert!(
            errors[0].message.contains("unknown key `member`"),
            "{errors:?}"
        );
        let errors = read("g: 5\n").unwrap_err();
        assert!(
            errors[0].message.contains("a list of country codes"),
            "{errors:?}"
        );
    }
}
