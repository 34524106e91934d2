use cybercap::model::doc::ResponseDoc;
use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        let mut p = serde_saphyr::granit_parser::Parser::new_from_str(&text);
        while let Some(e) = p.next_event() {
            e.unwrap();
        }
    }
    println!("granit events: {:?}/file", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        let _: serde::de::IgnoredAny = serde_saphyr::from_str(&text).unwrap();
    }
    println!("saphyr ignored: {:?}/file", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        let _: ResponseDoc = serde_saphyr::from_str(&text).unwrap();
    }
    println!("saphyr ResponseDoc: {:?}/file", t.elapsed() / n);
    let opts = || serde_saphyr::options! { budget: None, with_snippet: false };
    let t = Instant::now();
    for _ in 0..n {
        let _: ResponseDoc = serde_saphyr::from_str_with_options(&text, opts()).unwrap();
    }
    println!("saphyr ResponseDoc no budget: {:?}/file", t.elapsed() / n);
    let plain = text.replace('"', "");
    let t = Instant::now();
    for _ in 0..n {
        let _: ResponseDoc = serde_saphyr::from_str(&plain).unwrap();
    }
    println!("saphyr ResponseDoc unquoted: {:?}/file", t.elapsed() / n);
}
