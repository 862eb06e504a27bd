//! Embeds every file under `dictionaries/` (the repository's data folder) into the library, so
//! that the `dyad` binary carries its default dictionaries with it.
use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dictionaries");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for sub in ["actors", "events"] {
        let dir = root.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        // A missing folder would build a dyad that codes nothing: stop the build instead.
        let rd = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read the built-in dictionaries in {}: {e}", dir.display()));
        {
            for e in rd.flatten() {
                let p = e.path();
                let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
                if matches!(ext, "tsv" | "verbs") {
                    println!("cargo:rerun-if-changed={}", p.display());
                    files.push((
                        format!("{sub}/{}", p.file_name().unwrap().to_string_lossy()),
                        p.canonicalize().unwrap(),
                    ));
                }
            }
        }
    }
    files.sort();
    let mut src = String::from("/// Every built-in dictionary file: (path under `dictionaries/`, contents).\npub const BUILTIN_FILES: &[(&str, &str)] = &[\n");
    for (name, path) in files {
        writeln!(src, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    src.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin.rs");
    std::fs::write(out, src).unwrap();
}
