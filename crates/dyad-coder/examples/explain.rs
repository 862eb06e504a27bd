//! Print the coder's trace for one text: `cargo run -p dyad-coder --example explain -- "TEXT"`.
fn main() {
    let coder = dyad_coder::Coder::builtin();
    let text = std::env::args().nth(1).unwrap_or_default();
    let doc = dyad_core::Document { id: "x".into(), text, ..Default::default() };
    let mut t = dyad_coder::Trace::default();
    coder.code_traced(&doc, &mut t);
    for l in t.lines {
        if !l.contains("no match") {
            println!("{l}");
        }
    }
}
