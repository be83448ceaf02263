//! Where the server finds the content hashes of the bundle's file names.
//!
//! With cargo-leptos `hash-files` (on in the workspace's `Cargo.toml`), every build renames the
//! files under `/pkg/` to `name.<hash>.ext` and writes the hashes to `hash.txt` beside the server
//! binary; Leptos reads that file when it renders the page's script, wasm, stylesheet and chunk
//! links. The server is not always started from where cargo-leptos built it (a copied binary in
//! the browser tests, a deployment that ships the binary and the site), so at start-up it looks
//! for the hash file that matches the site it serves, in this order:
//!
//! 1. `LEPTOS_HASH_FILE_NAME` (absolute, or relative to the binary's folder; default `hash.txt`,
//!    i.e. beside the binary, where cargo-leptos writes it);
//! 2. `hash.txt` beside the binary;
//! 3. `hash.txt` in the site root (`LEPTOS_SITE_ROOT`), for deployments that copy it there.
//!
//! A hash file matches when the wasm and JavaScript it names exist in the site's package folder.
//! A site whose files carry hashes but with no matching hash file is an error at start-up (the
//! pages would link files that do not exist); a site with plain names (a build without hashing)
//! is served as it is.

use leptos::config::LeptosOptions;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The hash file's name in the site root.
pub const SITE_HASH_FILE: &str = "hash.txt";

/// Points the Leptos options at the hash file that matches the site (`hash_files` on), or turns
/// hashing off for a site with plain names. Returns the hash file used, if any.
pub fn resolve(options: &mut LeptosOptions) -> Result<Option<PathBuf>, String> {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let site_root = PathBuf::from(options.site_root.as_ref());
    let pkg = site_root.join(options.site_pkg_dir.as_ref());
    let mut candidates = vec![exe_dir.join(options.hash_file.as_ref())];
    for fallback in [exe_dir.join(SITE_HASH_FILE), site_root.join(SITE_HASH_FILE)] {
        if !candidates.contains(&fallback) {
            candidates.push(fallback);
        }
    }
    match find(&candidates, &pkg, &options.output_name)? {
        Some(found) => {
            options.hash_files = true;
            options.hash_file = Arc::from(found.to_string_lossy().as_ref());
            Ok(Some(found))
        }
        None => {
            options.hash_files = false;
            Ok(None)
        }
    }
}

/// The first candidate hash file whose files are in `pkg`; `None` when the site's main wasm has
/// a plain name or there is no site yet; an error when the site is hashed and none matches.
fn find(candidates: &[PathBuf], pkg: &Path, output_name: &str) -> Result<Option<PathBuf>, String> {
    for candidate in candidates {
        let Ok(text) = std::fs::read_to_string(candidate) else {
            continue;
        };
        if matches_site(&text, pkg, output_name) {
            return Ok(Some(candidate.clone()));
        }
    }
    if !site_is_hashed(pkg, output_name) {
        return Ok(None);
    }
    let looked = candidates
        .iter()
        .map(|c| c.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Err(format!(
        "the bundle in {} has content-hashed file names but no hash file names them (looked at \
         {looked}): copy the build's hash.txt beside the server binary or into the site root, or \
         set LEPTOS_HASH_FILE_NAME to its absolute path",
        pkg.display()
    ))
}

/// The value of `key` in a cargo-leptos hash file (`wasm: <hash>` lines).
fn hash_of<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key)
            .then(|| v.trim())
            .filter(|v| !v.is_empty())
    })
}

/// Whether the wasm and JavaScript the hash file names are in `pkg`.
fn matches_site(text: &str, pkg: &Path, output_name: &str) -> bool {
    ["wasm", "js"].iter().all(|ext| {
        hash_of(text, ext)
            .is_some_and(|hash| pkg.join(format!("{output_name}.{hash}.{ext}")).is_file())
    })
}

/// Whether `pkg` holds a main wasm with a hash in its name.
fn site_is_hashed(pkg: &Path, output_name: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(pkg) else {
        return false;
    };
    let prefix = format!("{output_name}.");
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.starts_with(&prefix)
            && name.ends_with(".wasm")
            && crate::assets::file_name_has_hash(&name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASHES: &str =
        "js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: CCCCCCCCCCCCCCCCCCCCCC\n";

    /// A fresh folder per test under the system's temporary folder, removed when dropped.
    struct Dir(PathBuf);

    impl Dir {
        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn temp_dir(name: &str) -> Dir {
        let path =
            std::env::temp_dir().join(format!("bundle-hashes-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }

    fn site(name: &str, files: &[&str]) -> Dir {
        let dir = temp_dir(name);
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        for file in files {
            std::fs::write(dir.path().join("pkg").join(file), b"x").unwrap();
        }
        dir
    }

    #[test]
    fn the_first_hash_file_naming_the_site_files_is_used() {
        let dir = site(
            "first",
            &[
                "pexip-portal.AAAAAAAAAAAAAAAAAAAAAA.js",
                "pexip-portal.BBBBBBBBBBBBBBBBBBBBBB.wasm",
            ],
        );
        let stale = dir.path().join("stale.txt");
        std::fs::write(
            &stale,
            "js: ZZZZZZZZZZZZZZZZZZZZZZ\nwasm: ZZZZZZZZZZZZZZZZZZZZZZ\n",
        )
        .unwrap();
        let good = dir.path().join("hash.txt");
        std::fs::write(&good, HASHES).unwrap();
        let missing = dir.path().join("missing.txt");
        let pkg = dir.path().join("pkg");
        let found = find(&[missing, stale, good.clone()], &pkg, "pexip-portal").unwrap();
        assert_eq!(found, Some(good));
    }

    #[test]
    fn a_hashed_site_without_its_hash_file_is_an_error() {
        let dir = site("hashed", &["pexip-portal.BBBBBBBBBBBBBBBBBBBBBB.wasm"]);
        let error = find(
            &[dir.path().join("hash.txt")],
            &dir.path().join("pkg"),
            "pexip-portal",
        )
        .unwrap_err();
        assert!(error.contains("no hash file names them"), "{error}");
    }

    #[test]
    fn plain_names_or_no_site_need_no_hash_file() {
        let dir = site("plain", &["pexip-portal.wasm", "pexip-portal.js"]);
        let pkg = dir.path().join("pkg");
        assert_eq!(
            find(&[dir.path().join("hash.txt")], &pkg, "pexip-portal"),
            Ok(None)
        );
        let empty = temp_dir("empty");
        assert_eq!(
            find(&[], &empty.path().join("pkg"), "pexip-portal"),
            Ok(None)
        );
    }

    #[test]
    fn hash_lines_are_read_by_key() {
        assert_eq!(hash_of(HASHES, "css"), Some("CCCCCCCCCCCCCCCCCCCCCC"));
        assert_eq!(hash_of(HASHES, "manifest"), None);
        assert_eq!(hash_of("wasm:\n", "wasm"), None);
    }
}
