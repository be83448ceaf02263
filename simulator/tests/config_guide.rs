//! Every example of the guide's Configuration API section, sent as the guide sends it (python
//! `requests` with `data=json.dumps(...)`: raw JSON, no content type; `files=` as multipart),
//! answered as the guide documents.

mod server_support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use server_support::{PASSWORD, Sim, USER};

const CONF: &str = "/api/admin/configuration/v1/conference/";
const ALIAS: &str = "/api/admin/configuration/v1/conference_alias/";
const ADP: &str = "/api/admin/configuration/v1/automatic_participant/";
const RULE: &str = "/api/admin/configuration/v1/gateway_routing_rule/";

#[tokio::test]
async fn creating_getting_changing_and_deleting_a_vmr() {
    let s = Sim::start().await;
    // Creating a Virtual Meeting Room: the Location names the new object.
    let uri = s
        .create(
            CONF,
            &json!({"name": "VMR_1", "service_type": "conference"}),
        )
        .await;
    assert_eq!(uri, "/api/admin/configuration/v1/conference/1/");

    // Adding a Virtual Meeting Room alias.
    let alias_uri = s
        .create(
            ALIAS,
            &json!({"alias": "meet@example.com", "conference": "/api/admin/configuration/v1/conference/1/"}),
        )
        .await;
    assert_eq!(alias_uri, "/api/admin/configuration/v1/conference_alias/1/");

    // Getting a Virtual Meeting Room's configuration: the documented fields and values.
    let vmr = s.get(&uri).await.json();
    assert_eq!(vmr["name"], "VMR_1");
    assert_eq!(vmr["id"], 1);
    assert_eq!(vmr["resource_uri"], uri);
    assert_eq!(vmr["service_type"], "conference");
    assert_eq!(vmr["allow_guests"], false);
    assert_eq!(vmr["automatic_participants"], json!([]));
    assert_eq!(vmr["description"], "");
    assert_eq!(vmr["force_presenter_into_main"], false);
    assert_eq!(vmr["guest_pin"], "");
    assert_eq!(vmr["guest_view"], json!(null));
    assert_eq!(vmr["host_view"], "one_main_seven_pips");
    assert_eq!(vmr["ivr_theme"], json!(null));
    assert_eq!(vmr["max_callrate_in"], json!(null));
    assert_eq!(vmr["max_callrate_out"], json!(null));
    assert_eq!(vmr["participant_limit"], json!(null));
    assert_eq!(vmr["pin"], "");
    assert_eq!(vmr["sync_tag"], "");
    assert_eq!(vmr["tag"], "");
    let aliases = vmr["aliases"].as_array().unwrap();
    assert_eq!(aliases.len(), 1);
    assert_eq!(aliases[0]["alias"], "meet@example.com");
    assert_eq!(aliases[0]["conference"], uri);
    assert_eq!(aliases[0]["description"], "");
    assert_eq!(aliases[0]["id"], 1);

    // Changing an existing Virtual Meeting Room: the PIN becomes 1234.
    let a = s.patch(&uri, &json!({"pin": "1234"})).await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    assert_eq!(s.get(&uri).await.json()["pin"], "1234");

    // Deleting a Virtual Meeting Room also deletes its aliases.
    let a = s.delete(&uri).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&uri).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get(&alias_uri).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get(ALIAS).await.json()["meta"]["total_count"], 0);
}

#[tokio::test]
async fn creating_a_vmr_with_aliases_and_listing_services() {
    let s = Sim::start().await;
    let uri = s
        .create(
            CONF,
            &json!({"name": "VMR_1", "service_type": "conference",
                    "aliases": [{"alias": "meet"}, {"alias": "meet@example.com"}]}),
        )
        .await;
    let vmr = s.get(&uri).await.json();
    let names: Vec<&str> = vmr["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["alias"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["meet", "meet@example.com"]);

    // Creating a Virtual Auditorium and a Virtual Reception.
    let lecture = s
        .create(
            CONF,
            &json!({"name": "Lecture", "service_type": "lecture",
                              "aliases": [{"alias": "lecture@example.com"}]}),
        )
        .await;
    s.create(
        CONF,
        &json!({"name": "Reception", "service_type": "two_stage_dialing",
                           "aliases": [{ "alias": "reception@example.com" }]}),
    )
    .await;
    assert_eq!(s.get(&lecture).await.json()["service_type"], "lecture");

    // Getting all services, then Virtual Meeting Rooms only.
    let all = s.get(CONF).await.json();
    assert_eq!(all["objects"].as_array().unwrap().len(), 3);
    let vmrs = s
        .get(&format!("{CONF}?service_type=conference"))
        .await
        .json();
    let objects = vmrs["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0]["name"], "VMR_1");
}

#[tokio::test]
async fn creating_multiple_vmrs_with_one_patch() {
    let s = Sim::start().await;
    let data = json!({ "objects" : [
        { "name" : "VMR_1", "service_type": "conference", "aliases" : [{"alias" : "meet1@example.com"}]},
        { "name" : "VMR_2", "service_type": "conference", "aliases" : [{"alias" : "meet2@example.com"}]},
    ]});
    let a = s.patch(CONF, &data).await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    let list = s.get(&format!("{CONF}?order_by=name")).await.json();
    assert_eq!(list["meta"]["total_count"], 2);
    assert_eq!(
        list["objects"][1]["aliases"][0]["alias"],
        "meet2@example.com"
    );
}

#[tokio::test]
async fn automatically_dialed_participants() {
    let s = Sim::start().await;
    s.create(CONF, &json!({"name": "VMR_1"})).await;
    s.create(CONF, &json!({"name": "VMR_2"})).await;
    let adp = s
        .create(
            ADP,
            &json!({
                "alias": "myendpoint@mydomain.com",
                "remote_display_name": "My Name",
                "description": "Dial myendpoint@mydomain.com whenever a related conference starts",
                "protocol": "sip",
                "role": "guest",
                "conference": ["/api/admin/configuration/v1/conference/1/"]
            }),
        )
        .await;
    assert_eq!(adp, "/api/admin/configuration/v1/automatic_participant/1/");
    assert_eq!(
        s.get(&adp).await.json()["conference"],
        json!(["/api/admin/configuration/v1/conference/1/"])
    );

    // Associating it with two Virtual Meeting Rooms.
    let a = s
        .patch(
            &adp,
            &json!({"conference": ["/api/admin/configuration/v1/conference/1/",
                                             "/api/admin/configuration/v1/conference/2/"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    assert_eq!(
        s.get(&adp).await.json()["conference"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        s.get("/api/admin/configuration/v1/conference/2/")
            .await
            .json()["automatic_participants"],
        json!([adp])
    );

    // Removing it from every Virtual Meeting Room.
    let a = s.patch(&adp, &json!({"conference" : []})).await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    assert_eq!(s.get(&adp).await.json()["conference"], json!([]));

    // Deleting it.
    assert_eq!(s.delete(&adp).await.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&adp).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn call_routing_rules() {
    let s = Sim::start().await;
    let lync = s
        .create(
            RULE,
            &json!({
                "name": "Route to Lync",
                "priority": 50,
                "match_incoming_calls": true,
                "match_outgoing_calls": false,
                "match_incoming_h323": true,
                "match_incoming_mssip": false,
                "match_incoming_sip": true,
                "match_incoming_webrtc": true,
                "match_string": "9(.*)",
                "replace_string": "",
                "called_device_type": "external",
                "outgoing_protocol": "mssip",
            }),
        )
        .await;
    let registered = s
        .create(
            RULE,
            &json!({
                "name": "Outbound calls to registered devices",
                "priority": 60,
                "match_incoming_calls": false,
                "match_outgoing_calls": true,
                "match_string": ".*@mycompany\\.com",
                "replace_string": "",
                "called_device_type": "registration",
            }),
        )
        .await;
    let rule = s.get(&lync).await.json();
    assert_eq!(rule["priority"], 50);
    assert_eq!(rule["outgoing_protocol"], "mssip");
    assert_eq!(
        s.get(&registered).await.json()["called_device_type"],
        "registration"
    );
    // Deleting a Call Routing Rule.
    assert_eq!(s.delete(&lync).await.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(RULE).await.json()["meta"]["total_count"], 1);
}

/// The node of the guide's deployment examples, with addresses for its placeholders.
fn new_node(deployment_type: &str) -> Value {
    json!({
        "name": "new_node",
        "hostname": "newnode",
        "domain": "example.test",
        "address": "10.0.0.21",
        "netmask": "255.255.255.0",
        "gateway": "10.0.0.1",
        "password": "node-password",
        "system_location": "/api/admin/configuration/v1/system_location/1/",
        "deployment_type": deployment_type,
    })
}

#[tokio::test]
async fn deploying_conferencing_nodes() {
    let s = Sim::start().await;
    let location = s
        .create(
            "/api/admin/configuration/v1/system_location/",
            &json!({"name": "London"}),
        )
        .await;
    assert_eq!(location, "/api/admin/configuration/v1/system_location/1/");

    // Deploying a new Conferencing Node onto a VMware host: 201 and its Location.
    let mut vmware = new_node("VMWARE");
    let extra = json!({
        "host": 1,
        "host_username": "vcenter-user",
        "host_password": "vcenter-password",
        "host_network": "VM Network",
        "host_resource_path": "/dc1/host/esx1/Resources",
        "vm_cpu_count": "8",
        "vm_system_memory": "16384",
    });
    vmware
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let node = s
        .create("/api/admin/configuration/v1/worker_vm/", &vmware)
        .await;
    let vm = s.get(&node).await.json();
    assert_eq!(vm["vm_cpu_count"], 8);
    assert_eq!(vm["vm_system_memory"], 16384);
    assert_eq!(vm["system_location"], location);
    // Passwords read back as opaque encrypted strings.
    let password = vm["password"].as_str().unwrap();
    assert!(
        password.starts_with("$~!1") && !password.contains("node-password"),
        "{password}"
    );

    // Downloading a Conferencing Node for manual deployment: the OVA is the answer's body.
    let mut manual = new_node("MANUAL");
    manual["name"] = json!("manual_node");
    manual["hostname"] = json!("manualnode");
    manual["address"] = json!("10.0.0.22");
    manual["vm_cpu_count"] = json!("8");
    manual["vm_system_memory"] = json!("16384");
    let r = s
        .client
        .post(s.url("/api/admin/configuration/v1/worker_vm/"))
        .basic_auth(USER, Some(PASSWORD))
        .body(serde_json::to_vec(&manual).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let ova = r.bytes().await.unwrap();
    assert_eq!(&ova[257..263], b"ustar\0", "a tar archive");
    assert!(ova.starts_with(b"manual_node.ovf"));

    // Deploying with a VM template and a provisioning document.
    let mut template = new_node("MANUAL-PROVISION-ONLY");
    template["name"] = json!("template_node");
    template["hostname"] = json!("templatenode");
    template["address"] = json!("10.0.0.23");
    let a = s
        .post("/api/admin/configuration/v1/worker_vm/", &template)
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.text.starts_with("<?xml"), "{}", a.text);
    assert!(
        a.text.contains("<hostname>templatenode</hostname>"),
        "{}",
        a.text
    );
    assert_eq!(
        s.get("/api/admin/configuration/v1/worker_vm/").await.json()["meta"]["total_count"],
        3
    );

    // Changing the distributed database setting: the guide prints the answer's Location.
    let a = s
        .patch(&node, &json!({"enable_distributed_database": true}))
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    assert!(a.header("location").unwrap().ends_with(&node));
    assert_eq!(
        s.get(&node).await.json()["enable_distributed_database"],
        true
    );
}

#[tokio::test]
async fn uploading_a_service_theme() {
    let s = Sim::start().await;
    s.create(CONF, &json!({"name": "VMR_1"})).await;
    let theme_uri = s
        .create(
            "/api/admin/configuration/v1/ivr_theme/",
            &json!({"name": "New theme"}),
        )
        .await;
    // The package is PATCHed as multipart, as `requests` does with `files=`.
    let form = reqwest::multipart::Form::new().part(
        "package",
        reqwest::multipart::Part::bytes(b"PK\x03\x04theme".to_vec()).file_name("test_theme.zip"),
    );
    let r = s
        .client
        .patch(s.url(&theme_uri))
        .basic_auth(USER, Some(PASSWORD))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::ACCEPTED,
        "{}",
        r.text().await.unwrap()
    );
    let theme = s.get(&theme_uri).await.json();
    assert!(
        theme["package"]
            .as_str()
            .unwrap()
            .contains("test_theme.zip"),
        "{theme}"
    );
    // Configuring the VMR to use the theme by its path.
    let a = s
        .patch(
            "/api/admin/configuration/v1/conference/1/",
            &json!({"ivr_theme": theme_uri}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    assert_eq!(
        s.get("/api/admin/configuration/v1/conference/1/")
            .await
            .json()["ivr_theme"],
        theme_uri
    );
}
