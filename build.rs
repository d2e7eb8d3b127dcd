//! Compiles the bundled fixture manifests into the binary.
//!
//! Writes `$OUT_DIR/bundled_fixtures.rs`: a slice of `(folder, &[(file, bytes)])`
//! with every file of every folder under `fixtures/` that holds a `manifest.json`.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("fixtures");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut folders: Vec<PathBuf> = fs::read_dir(&root)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.join("manifest.json").is_file())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();

    let mut code = String::from("&[\n");
    for folder in &folders {
        println!("cargo:rerun-if-changed={}", folder.display());
        let name = folder.file_name().unwrap().to_string_lossy();
        code.push_str(&format!("    ({name:?}, &[\n"));
        for file in files_of(folder) {
            println!("cargo:rerun-if-changed={}", file.display());
            let file_name = file.file_name().unwrap().to_string_lossy();
            code.push_str(&format!(
                "        ({file_name:?}, include_bytes!({:?}) as &[u8]),\n",
                file.display().to_string()
            ));
        }
        code.push_str("    ]),\n");
    }
    code.push_str("]\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled_fixtures.rs");
    fs::write(out, code).unwrap();
}

fn files_of(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .unwrap()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}
