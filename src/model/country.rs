//! Country codes: ISO 3166-1 alpha-2 (alpha-3 accepted and normalized) and user-assigned codes.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

/// ISO 3166-1 officially assigned codes as alpha-2 + alpha-3 pairs, generated from the ISO 3166-1
/// table of the iso-codes project (pycountry 26.2.16); 249 entries.
const ISO_3166_1: &str = "\
    ADAND AEARE AFAFG AGATG AIAIA ALALB AMARM AOAGO AQATA ARARG ASASM ATAUT AUAUS AWABW \
    AXALA AZAZE BABIH BBBRB BDBGD BEBEL BFBFA BGBGR BHBHR BIBDI BJBEN BLBLM BMBMU BNBRN \
    BOBOL BQBES BRBRA BSBHS BTBTN BVBVT BWBWA BYBLR BZBLZ CACAN CCCCK CDCOD CFCAF CGCOG \
    CHCHE CICIV CKCOK CLCHL CMCMR CNCHN COCOL CRCRI CUCUB CVCPV CWCUW CXCXR CYCYP CZCZE \
    DEDEU DJDJI DKDNK DMDMA DODOM DZDZA ECECU EEEST EGEGY EHESH ERERI ESESP ETETH FIFIN \
    FJFJI FKFLK FMFSM FOFRO FRFRA GAGAB GBGBR GDGRD GEGEO GFGUF GGGGY GHGHA GIGIB GLGRL \
    GMGMB GNGIN GPGLP GQGNQ GRGRC GSSGS GTGTM GUGUM GWGNB GYGUY HKHKG HMHMD HNHND HRHRV \
    HTHTI HUHUN IDIDN IEIRL ILISR IMIMN ININD IOIOT IQIRQ IRIRN ISISL ITITA JEJEY JMJAM \
    JOJOR JPJPN KEKEN KGKGZ KHKHM KIKIR KMCOM KNKNA KPPRK KRKOR KWKWT KYCYM KZKAZ LALAO \
    LBLBN LCLCA LILIE LKLKA LRLBR LSLSO LTLTU LULUX LVLVA LYLBY MAMAR MCMCO MDMDA MEMNE \
    MFMAF MGMDG MHMHL MKMKD MLMLI MMMMR MNMNG MOMAC MPMNP MQMTQ MRMRT MSMSR MTMLT MUMUS \
    MVMDV MWMWI MXMEX MYMYS MZMOZ NANAM NCNCL NENER NFNFK NGNGA NINIC NLNLD NONOR NPNPL \
    NRNRU NUNIU NZNZL OMOMN PAPAN PEPER PFPYF PGPNG PHPHL PKPAK PLPOL PMSPM PNPCN PRPRI \
    PSPSE PTPRT PWPLW PYPRY QAQAT REREU ROROU RSSRB RURUS RWRWA SASAU SBSLB SCSYC SDSDN \
    SESWE SGSGP SHSHN SISVN SJSJM SKSVK SLSLE SMSMR SNSEN SOSOM SRSUR SSSSD STSTP SVSLV \
    SXSXM SYSYR SZSWZ TCTCA TDTCD TFATF TGTGO THTHA TJTJK TKTKL TLTLS TMTKM TNTUN TOTON \
    TRTUR TTTTO TVTUV TWTWN TZTZA UAUKR UGUGA UMUMI USUSA UYURY UZUZB VAVAT VCVCT VEVEN \
    VGVGB VIVIR VNVNM VUVUT WFWLF WSWSM YEYEM YTMYT ZAZAF ZMZMB ZWZWE \
";

/// A validated, upper-case country or entity code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CountryCode(String);

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountryCodeError {
    /// Not two or three ASCII letters.
    Malformed,
    /// Well-formed but neither assigned by ISO 3166-1 nor in a user-assigned range.
    Unassigned,
}

impl CountryCodeError {
    /// What is wrong with `text` as a country code, and what was expected.
    pub fn message(&self, text: &str) -> String {
        let shown = text.escape_debug();
        match self {
            CountryCodeError::Malformed => format!(
                "country `{shown}` is not a country code; expected an ISO 3166-1 code such as CO or COL, or a user-assigned code such as XA"
            ),
            CountryCodeError::Unassigned => format!(
                "country `{shown}` is not assigned in ISO 3166-1; expected an ISO code such as CO, or a user-assigned code (AA, QM–QZ, XA–XZ, ZZ) for other entities"
            ),
        }
    }
}

impl std::str::FromStr for CountryCode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        CountryCode::parse(text).map_err(|e| e.message(text))
    }
}

impl CountryCode {
    /// Parses a code: alpha-2, or alpha-3 normalized to its alpha-2 where ISO assigns one.
    /// Lower case is accepted and upper-cased.
    pub fn parse(code: &str) -> Result<Self, CountryCodeError> {
        let upper = code.trim().to_ascii_uppercase();
        if !(2..=3).contains(&upper.len()) || !upper.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CountryCodeError::Malformed);
        }
        if is_user_assigned(&upper) {
            return Ok(CountryCode(upper));
        }
        iso_pairs()
            .find_map(|(alpha2, alpha3)| {
                (alpha2 == upper || alpha3 == upper).then(|| CountryCode(alpha2.to_owned()))
            })
            .ok_or(CountryCodeError::Unassigned)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country's common name in `lang` (en, es, pt or fr; others fall back to English), or
    /// `None` for user-assigned codes, which only a groups file can name.
    pub fn name(&self, lang: &str) -> Option<&'static str> {
        let names = country_names().get(self.0.as_str())?;
        let column = match lang {
            "es" => 1,
            "pt" => 2,
            "fr" => 3,
            _ => 0,
        };
        Some(names[column])
    }

    /// True for codes ISO 3166-1 leaves to users (AA, QM–QZ, XA–XZ, ZZ and their alpha-3 forms).
    pub fn is_user_assigned(&self) -> bool {
        is_user_assigned(&self.0)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Country names in en, es, pt and fr, generated from the iso-codes project's ISO 3166-1 table
/// and its translations by `tools/country_names.py`.
const COUNTRY_NAMES: &str = include_str!("../../data/country-names.tsv");

fn country_names() -> &'static HashMap<&'static str, [&'static str; 4]> {
    static NAMES: OnceLock<HashMap<&'static str, [&'static str; 4]>> = OnceLock::new();
    NAMES.get_or_init(|| {
        COUNTRY_NAMES
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let mut cells = line.split('\t');
                let code = cells.next()?;
                let names = [cells.next()?, cells.next()?, cells.next()?, cells.next()?];
                Some((code, names))
            })
            .collect()
    })
}

fn iso_pairs() -> impl Iterator<Item = (&'static str, &'static str)> {
    ISO_3166_1
        .split_ascii_whitespace()
        .map(|pair| (&pair[..2], &pair[2..]))
}

fn is_user_assigned(upper: &str) -> bool {
    let b = upper.as_bytes();
    let prefix_ok = match (b[0], b[1]) {
        (b'A', b'A') | (b'Z', b'Z') => true,
        (b'Q', second) => (b'M'..=b'Z').contains(&second),
        (b'X', _) => true,
        _ => false,
    };
    prefix_ok && (b.len() == 2 || b[2].is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norway_stays_norway() {
        assert_eq!(CountryCode::parse("NO").unwrap().as_str(), "NO");
    }

    #[test]
    fn alpha3_is_normalized_to_alpha2() {
        assert_eq!(CountryCode::parse("COL").unwrap().as_str(), "CO");
        assert_eq!(CountryCode::parse("bra").unwrap().as_str(), "BR");
    }

    #[test]
    fn user_assigned_codes_are_accepted() {
        for code in ["XA", "XP", "QM", "QZ", "AA", "ZZ", "XKX", "AAB"] {
            let parsed = CountryCode::parse(code).unwrap();
            assert!(parsed.is_user_assigned(), "{code}");
        }
        assert_eq!(CountryCode::parse("QL"), Err(CountryCodeError::Unassigned));
    }

    #[test]
    fn malformed_and_unassigned_codes_are_refused() {
        assert_eq!(CountryCode::parse("../x"), Err(CountryCodeError::Malformed));
        assert_eq!(CountryCode::parse("C"), Err(CountryCodeError::Malformed));
        assert_eq!(CountryCode::parse("ÉS"), Err(CountryCodeError::Malformed));
        assert_eq!(CountryCode::parse("UK"), Err(CountryCodeError::Unassigned));
    }

    #[test]
    fn every_iso_country_has_a_name_in_four_languages() {
        for (alpha2, _) in iso_pairs() {
            let code = CountryCode::parse(alpha2).unwrap();
            for lang in ["en", "es", "pt", "fr"] {
                let name = code.name(lang).unwrap_or_else(|| panic!("{alpha2} {lang}"));
                assert!(!name.is_empty());
            }
        }
        let germany = CountryCode::parse("DE").unwrap();
        assert_eq!(germany.name("es"), Some("Alemania"));
        assert_eq!(germany.name("fr"), Some("Allemagne"));
        assert_eq!(CountryCode::parse("XA").unwrap().name("en"), None);
    }

    #[test]
    fn table_is_well_formed() {
        assert_eq!(iso_pairs().count(), 249);
        assert!(iso_pairs().all(|(a2, a3)| a2.len() == 2 && a3.len() == 3));
    }
}
