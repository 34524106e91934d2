//! Which texts a YAML reader takes as themselves: one rule for the reader that skips the full
//! parser and for the writer that decides when to quote.

/// A character outside YAML's printable set, or one it may read as more than a character: NEL
/// (a line break in YAML 1.1) and the byte-order mark.
pub fn outside_yaml(c: char) -> bool {
    !matches!(
        u32::from(c),
        0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..
    ) || c == '\u{FEFF}'
}

/// Characters a writer of double-quoted scalars escapes as `\uXXXX`, though JSON's string syntax
/// lets them through: those a YAML file may not hold or may read apart (`outside_yaml`), and the
/// line and paragraph separators, which a YAML 1.1 reader takes as line breaks.
pub fn must_be_escaped_in_yaml(c: char) -> bool {
    outside_yaml(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Words YAML may read as booleans, null or special numbers in some case: never plain text here.
pub const YAML_WORDS: [&str; 12] = [
    "yes", "no", "true", "false", "on", "off", "y", "n", "null", "nan", "inf", "infinity",
];

/// A word the YAML parser reads as this very text: a letter or `_`, then letters, digits, `_`,
/// `-` or `.`, and not one of the words YAML gives another meaning.
pub fn is_plain_word(token: &str) -> bool {
    let Some(&first) = token.as_bytes().first() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == b'_')
        && token.bytes().all(|b| WORD_BYTES[usize::from(b)])
        && !YAML_WORDS.iter().any(|w| w.eq_ignore_ascii_case(token))
}

/// The bytes of a plain word, looked up rather than tested: every key of a file is checked.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
        b += 1;
    }
    table
};
