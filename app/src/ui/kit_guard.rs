//! A guard for the kit rule: the pages and the layout write no class strings of their own
//! (`class="…"`, `attr:class=…`, or `class=` with a constant); they compose `crate::ui`.

use std::path::{Path, PathBuf};

/// The `.rs` files under `dir`, recursively.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The lines of `text` that set a class by hand, with their numbers.
fn class_strings(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let code = line.trim_start();
            !code.starts_with("//")
                && (line.contains("class=\"")
                    || line.contains("attr:class=")
                    || line.contains("class=move")
                    || line.match_indices("class=").any(|(at, _)| {
                        line[at + 6..].starts_with(|c: char| c.is_ascii_uppercase())
                    }))
        })
        .map(|(n, line)| (n + 1, line.trim().to_string()))
        .collect()
}

#[test]
fn pages_and_layout_write_no_class_strings() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("pages"), &mut files);
    rust_files(&src.join("layout"), &mut files);
    assert!(
        files.len() > 20,
        "found the page sources ({} files)",
        files.len()
    );
    let mut offenders = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).expect("read a page source");
        for (line, code) in class_strings(&text) {
            offenders.push(format!("{relative}:{line}: {code}"));
        }
    }
    assert!(
        offenders.is_empty(),
        "compose the page from crate::ui (add a kit component if one is missing) instead of:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_guard_sees_each_way_of_writing_a_class() {
    let page = r#"
        view! { <p class="mt-2">"a"</p> }
        view! { <A href="/" attr:class="link">"b"</A> }
        view! { <span class=BADGE>"c"</span> }
        view! { <span class=move || tone()>"d"</span> }
        // class="in a comment" is fine
        view! { <Badge tone=Tone::Warn>"e"</Badge> }
    "#;
    let found: Vec<usize> = class_strings(page).into_iter().map(|(n, _)| n).collect();
    assert_eq!(found, vec![2, 3, 4, 5]);
}
