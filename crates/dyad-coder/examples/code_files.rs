//! Code plain-text files and print events as JSON Lines: the smallest use of the coder.
//!
//! `cargo run -p dyad-coder --example code_files -- FILE...`
fn main() {
    let coder = dyad_coder::Coder::builtin();
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
        let id = std::path::Path::new(&path).file_stem().unwrap().to_string_lossy().to_string();
        let doc = dyad_core::Document { id, text, ..Default::default() };
        for e in coder.code(&doc) {
            println!("{}", serde_json::to_string(&e).unwrap());
        }
    }
}
