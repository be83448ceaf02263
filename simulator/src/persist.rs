//! `--state-file`: the configuration persisted across restarts, written atomically after every
//! change (a temporary file renamed over the old one).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::state::SimState;
use crate::store::ConfigStore;

/// The format version written in state files.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct StateFile {
    format: u32,
    /// The profile the configuration was written under (v14, v40).
    profile: String,
    config: ConfigStore,
}

/// Reads a state file: `Ok(None)` when there is none yet.
pub fn load(path: &Path) -> Result<Option<ConfigStore>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "cannot read the state file {}: {e}",
                path.display()
            ));
        }
    };
    let file: StateFile = serde_json::from_slice(&bytes)
        .map_err(|e| format!("the state file {} is not valid: {e}", path.display()))?;
    if file.format != FORMAT {
        return Err(format!(
            "the state file {} has format {}, this simulator reads format {FORMAT}",
            path.display(),
            file.format
        ));
    }
    Ok(Some(file.config))
}

/// Writes `store` to `path` atomically.
pub fn save(path: &Path, profile: &str, store: &ConfigStore) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Out<'a> {
        format: u32,
        profile: &'a str,
        config: &'a ConfigStore,
    }
    let bytes = serde_json::to_vec(&Out {
        format: FORMAT,
        profile,
        config: store,
    })
    .map_err(std::io::Error::other)?;
    crate::write_atomically(path, &bytes)
}

/// Writes the store when the simulator was started with a state file.
pub fn save_if_configured(state: &SimState, store: &ConfigStore) -> std::io::Result<()> {
    match &state.options.state_file {
        Some(path) => save(path, state.options.profile.as_str(), store),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ObjectId;
    use serde_json::json;

    #[test]
    fn round_trip_and_refusals() {
        let dir = std::env::temp_dir().join(format!("pexip-sim-persist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        assert!(load(&path).unwrap().is_none());
        let mut store = ConfigStore::new();
        store.put(
            "conference",
            ObjectId::Int(3),
            json!({"id": 3, "name": "A"}).as_object().unwrap().clone(),
        );
        save(&path, "v14", &store).unwrap();
        assert_eq!(load(&path).unwrap(), Some(store));
        std::fs::write(&path, b"{not json").unwrap();
        assert!(load(&path).unwrap_err().contains("not valid"));
        std::fs::write(
            &path,
            br#"{"format": 9, "profile": "v14", "config": {"collections": {}}}"#,
        )
        .unwrap();
        assert!(load(&path).unwrap_err().contains("format 9"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
