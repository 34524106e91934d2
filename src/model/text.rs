//! Localized text: a plain string or a map from language code to text.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The language every text falls back to when it lacks the requested one.
pub const FALLBACK_LANGUAGE: &str = "en";

/// The languages the built-in questionnaire and the interface speak.
pub const SUPPORTED_LANGUAGES: [&str; 4] = ["en", "es", "pt", "fr"];

/// A text in one or several languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalizedText {
    /// The same text whatever the language.
    Plain(String),
    /// Language code → text, in the file's order of keys (sorted here for determinism).
    ByLanguage(BTreeMap<String, String>),
}

impl LocalizedText {
    /// The text in `lang`, falling back to English, then to any language present.
    pub fn get(&self, lang: &str) -> &str {
        match self {
            LocalizedText::Plain(text) => text,
            LocalizedText::ByLanguage(map) => map
                .get(lang)
                .or_else(|| map.get(FALLBACK_LANGUAGE))
                .or_else(|| map.values().next())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    /// The languages of `wanted` this text has no translation for (a plain text has them all).
    pub fn missing_languages<'a>(&self, wanted: &'a [String]) -> Vec<&'a str> {
        match self {
            LocalizedText::Plain(_) => Vec::new(),
            LocalizedText::ByLanguage(map) => wanted
                .iter()
                .filter(|lang| !map.contains_key(lang.as_str()))
                .map(String::as_str)
                .collect(),
        }
    }

    /// Every (language, text) pair; a plain text is one pair with an empty language.
    pub fn entries(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        match self {
            LocalizedText::Plain(text) => Box::new(std::iter::once(("", text.as_str()))),
            LocalizedText::ByLanguage(map) => {
                Box::new(map.iter().map(|(l, t)| (l.as_str(), t.as_str())))
            }
        }
    }

    /// True when no language carries any non-blank text.
    pub fn is_blank(&self) -> bool {
        match self {
            LocalizedText::Plain(text) => text.trim().is_empty(),
            LocalizedText::ByLanguage(map) => map.values().all(|t| t.trim().is_empty()),
        }
    }
}

impl From<&str> for LocalizedText {
    fn from(text: &str) -> Self {
        LocalizedText::Plain(text.to_owned())
    }
}

impl<'de> Deserialize<'de> for LocalizedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = LocalizedText;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a map from language code (en, es, pt, fr) to text")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LocalizedText::Plain(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(LocalizedText::Plain(v))
            }

            // A title such as `2025` or `true` is still a text.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LocalizedText::Plain(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LocalizedText::Plain(v.to_string()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LocalizedText::Plain(v.to_string()))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LocalizedText::Plain(v.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = BTreeMap::new();
                while let Some((lang, text)) = access.next_entry::<String, String>()? {
                    if !is_language_code(&lang) {
                        return Err(de::Error::custom(language_code_message(&lang)));
                    }
                    map.insert(lang, text);
                }
                if map.is_empty() {
                    return Err(de::Error::custom(
                        "empty text map; expected at least one language, such as `en: ...`",
                    ));
                }
                Ok(LocalizedText::ByLanguage(map))
            }
        }

        deserializer.deserialize_any(TextVisitor)
    }
}

impl Serialize for LocalizedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            LocalizedText::Plain(text) => serializer.serialize_str(text),
            LocalizedText::ByLanguage(map) => map.serialize(serializer),
        }
    }
}

impl JsonSchema for LocalizedText {
    fn schema_name() -> Cow<'static, str> {
        "LocalizedText".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A text, or a map from language code to text (missing languages fall back to English).",
            "anyOf": [
                {"type": "string"},
                {"type": "object",
                 "propertyNames": {"pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
                 "additionalProperties": {"type": "string"},
                 "minProperties": 1}
            ]
        })
    }
}

/// What is wrong with `code` as a language code, and what was expected.
pub fn language_code_message(code: &str) -> String {
    format!(
        "`{}` is not a language code; expected a two-letter code such as en, es, pt or fr",
        code.escape_debug()
    )
}

/// `code` when it is a language code, else what is wrong with it.
pub fn parse_language_code(code: &str) -> Result<String, String> {
    if is_language_code(code) {
        Ok(code.to_owned())
    } else {
        Err(language_code_message(code))
    }
}

/// A language code: two or three lowercase letters, optionally with subtags (`pt-BR`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_language_falls_back_to_english() {
        let text: LocalizedText = serde_saphyr::from_str("{en: Hello, es: Hola}").unwrap();
        assert_eq!(text.get("es"), "Hola");
        assert_eq!(text.get("fr"), "Hello");
        let wanted = vec!["en".to_owned(), "fr".to_owned()];
        assert_eq!(text.missing_languages(&wanted), vec!["fr"]);
    }

    #[test]
    fn plain_text_serves_every_language() {
        let text: LocalizedText = serde_saphyr::from_str("Hello").unwrap();
        assert_eq!(text.get("pt"), "Hello");
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("en"));
        assert!(is_language_code("pt-BR"));
        assert!(!is_language_code("EN"));
        assert!(!is_language_code("english"));
    }
}
