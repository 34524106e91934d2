use cybercap::builtin::questionnaires;
use cybercap::model::write::response_to_yaml;
use cybercap::samples::synthetic_response;
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let count: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let q = &questionnaires()[0];
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for i in 0..count {
        let e = i % 250;
        let entity = format!("X{}{}", letters[e / 26] as char, letters[e % 26] as char);
        let ri = i / 250;
        let round = format!("r{ri:03}");
        let r = synthetic_response(q, &entity, &round, ri.min(6)).unwrap();
        std::fs::write(
            dir.join(format!("{entity}-{round}.yaml")),
            response_to_yaml(q, &r),
        )
        .unwrap();
    }
}
