//! System backups over HTTPS: create (encrypted under the passphrase), list, download
//! byte-exact, restore (replaces the configuration, or changes nothing), delete.

mod live_support;
mod server_support;

use live_support::{command, guide_sim, keys};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use server_support::{PASSWORD, Sim, USER};

async fn names(sim: &Sim) -> Vec<String> {
    let list = sim
        .get("/api/admin/configuration/v1/conference/?limit=0")
        .await
        .json();
    let mut n: Vec<String> = list["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    n.sort();
    n
}

async fn restore(sim: &Sim, package: Vec<u8>, passphrase: &str) -> (StatusCode, Value) {
    let form = Form::new()
        .text("passphrase", passphrase.to_owned())
        .part("package", Part::bytes(package).file_name("temp.bak"));
    let r = sim
        .client
        .post(sim.url("/api/admin/command/v1/platform/backup_restore/"))
        .basic_auth(USER, Some(PASSWORD))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap())
}

async fn download(sim: &Sim, uri: &str) -> Vec<u8> {
    let r = sim
        .client
        .get(sim.url(uri))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn backup_round_trip_is_byte_exact_and_restores_the_configuration() {
    let sim = guide_sim().await;
    let (s, b) = command(
        &sim,
        "platform/backup_create/",
        &[("passphrase", "correct horse battery")],
    )
    .await;
    assert_eq!((s, b), (StatusCode::ACCEPTED, json!({"status": "success"})));

    let list = sim
        .get("/api/admin/configuration/v1/system_backup/")
        .await
        .json();
    assert_eq!(list["meta"]["total_count"], 1);
    let entry = list["objects"][0].clone();
    assert_eq!(
        keys(&entry),
        [
            "build",
            "date",
            "filename",
            "resource_uri",
            "size",
            "version"
        ]
    );
    let filename = entry["filename"].as_str().unwrap();
    let pattern = regex::Regex::new(
        r"^pexip_backup_[0-9A-Za-z-]+-mgr_14_[0-9.]+_\d\d_\d\d_\d\d_\d\d_\d\d_\d\d\.tar\.gpg$",
    )
    .unwrap();
    assert!(pattern.is_match(filename), "{filename}");
    assert_eq!(entry["version"], "14");
    assert_eq!(
        entry["resource_uri"],
        format!("/api/admin/configuration/v1/system_backup/{filename}/")
    );
    let uri = entry["resource_uri"].as_str().unwrap();
    let file = download(&sim, uri).await;
    assert_eq!(file.len() as u64, entry["size"].as_u64().unwrap());
    assert_eq!(download(&sim, uri).await, file, "the same bytes every time");
    assert!(
        !file.windows(5).any(|w| w == b"VMR_1"),
        "the configuration is encrypted"
    );

    let original = names(&sim).await;
    assert_eq!(original, ["VMR_1", "VMR_2"]);
    assert_eq!(
        sim.delete("/api/admin/configuration/v1/conference/2/")
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    sim.create(
        "/api/admin/configuration/v1/conference/",
        &json!({"name": "VMR_3"}),
    )
    .await;
    let changed = names(&sim).await;
    assert_eq!(changed, ["VMR_1", "VMR_3"]);

    let (s, b) = restore(&sim, file.clone(), "wrong passphrase").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b,
        json!({"backup_restore": {"package": ["The passphrase is incorrect or the backup file is corrupt."]}})
    );
    assert_eq!(
        names(&sim).await,
        changed,
        "a wrong passphrase changes nothing"
    );
    let mut corrupt = file.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle] ^= 1;
    let (s, _) = restore(&sim, corrupt, "correct horse battery").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, b) = restore(&sim, b"just some text".to_vec(), "correct horse battery").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b,
        json!({"backup_restore": {"package": ["The file is not a system backup."]}})
    );
    assert_eq!(names(&sim).await, changed, "a corrupt file changes nothing");

    let (s, b) = restore(&sim, file, "correct horse battery").await;
    assert_eq!((s, b), (StatusCode::ACCEPTED, json!({"status": "success"})));
    assert_eq!(names(&sim).await, original);

    assert_eq!(sim.delete(uri).await.status, StatusCode::NO_CONTENT);
    assert_eq!(sim.get(uri).await.status, StatusCode::NOT_FOUND);
    assert_eq!(sim.delete(uri).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        sim.get("/api/admin/configuration/v1/system_backup/")
            .await
            .json()["meta"]["total_count"],
        0
    );
}

#[tokio::test]
async fn backup_commands_need_their_fields() {
    let sim = guide_sim().await;
    let (s, b) = command(&sim, "platform/backup_create/", &[]).await;
    assert_eq!(
        (s, b),
        (
            StatusCode::BAD_REQUEST,
            json!({"backup_create": {"passphrase": ["This field is required."]}})
        )
    );
    let (s, b) = command(&sim, "platform/backup_restore/", &[("passphrase", "x")]).await;
    assert_eq!(
        (s, b),
        (
            StatusCode::BAD_REQUEST,
            json!({"backup_restore": {"package": ["This field is required."]}})
        )
    );
    let schema = sim
        .get("/api/admin/configuration/v1/system_backup/schema/")
        .await;
    assert_eq!(schema.status, StatusCode::OK);
    assert!(
        pexip::Schema::from_json(&schema.text)
            .unwrap()
            .field("filename")
            .is_some()
    );
}

#[tokio::test]
async fn a_v40_node_names_its_backups_for_v40() {
    let sim = Sim::start_with(simulator::SimOptions {
        tick_ms: 0,
        profile: simulator::Profile::V40,
        ..server_support::options()
    })
    .await;
    let (s, _) = command(&sim, "platform/backup_create/", &[("passphrase", "pw")]).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let list = sim
        .get("/api/admin/configuration/v1/system_backup/")
        .await
        .json();
    assert_eq!(list["objects"][0]["version"], "40");
    assert!(
        list["objects"][0]["filename"]
            .as_str()
            .unwrap()
            .contains("-mgr_40_")
    );
    assert_eq!(
        sim.get("/api/admin/configuration/v1/licence/").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_backup_larger_than_axums_default_body_limit_restores() {
    let sim = guide_sim().await;
    {
        let mut store = sim.sim.state().config.write().unwrap();
        let description = "x".repeat(200);
        for id in 100..12_100 {
            live_support::put(
                &mut store,
                "conference",
                id,
                json!({"id": id, "name": format!("VMR {id}"), "description": description}),
            );
        }
    }
    let (s, _) = command(&sim, "platform/backup_create/", &[("passphrase", "big")]).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let entry = sim
        .get("/api/admin/configuration/v1/system_backup/")
        .await
        .json()["objects"][0]
        .clone();
    let file = download(&sim, entry["resource_uri"].as_str().unwrap()).await;
    assert!(file.len() > 2 * 1024 * 1024, "{} bytes", file.len());
    sim.sim
        .state()
        .config
        .write()
        .unwrap()
        .remove_where("conference", |_| true);
    let (s, b) = restore(&sim, file, "big").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    assert_eq!(
        sim.sim.state().config.read().unwrap().count("conference"),
        12_002
    );
}
