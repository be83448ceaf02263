//! Offline licensing through the BFF against the Pexip simulator over HTTPS and a real SQLite
//! accounts database: an offline activation leaves a pending request whose document names the
//! key, the response document installs the licence and consumes the request; an offline return
//! keeps the licence until its response; bad documents and request numbers are refused before
//! the node is asked (4xx, nothing audited), an unknown request is "not found"; only admins may
//! do any of it; every step that changes something is audited.

mod support;

use bff::accounts::{Principal, Role};
use bff::audit::{self, AuditEvent, AuditFilter};
use bff::db::testing::TestDatabase;
use bff::gateway::{BffError, MAX_RESPONSE_DOCUMENT_BYTES, RESPONSE_FIELD, SEQUENCE_FIELD};
use bff::portal::{Actor, Portal};
use serde_json::Value;
use simulator::RunningSim;

const KEY: &str = "1234-5678-9ABC-DEF0";

struct World {
    _sim: RunningSim,
    _db: TestDatabase,
    portal: Portal,
}

async fn world() -> World {
    let support::SimPortal { sim, db, portal } = support::portal_over_simulator().await;
    World {
        _sim: sim,
        _db: db,
        portal,
    }
}

fn actor(role: Role) -> Actor {
    Actor {
        principal: Principal {
            account_id: 1,
            username: format!("{role}-person"),
            role,
            tenant: None,
            email: None,
        },
        client_addr: Some("127.0.0.1".into()),
    }
}

fn admin() -> Actor {
    actor(Role::Admin)
}

async fn licences(portal: &Portal) -> Vec<Value> {
    portal.licences_list(&admin()).await.unwrap().objects
}

async fn pending(portal: &Portal) -> Vec<Value> {
    portal
        .licence_requests_list(&admin())
        .await
        .unwrap()
        .objects
}

async fn trail(portal: &Portal) -> Vec<AuditEvent> {
    let filter = AuditFilter {
        limit: 50,
        ..AuditFilter::default()
    };
    audit::list(&portal.db, &filter).await.unwrap().0
}

fn refused_field(result: Result<impl std::fmt::Debug, BffError>) -> (String, String) {
    match result {
        Err(BffError::Invalid(fields)) => {
            let (field, messages) = fields.into_iter().next().expect("a field");
            (field, messages.join(" "))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn activating_offline_installs_the_licence_with_the_response_document() {
    let world = world().await;
    let p = &world.portal;
    let before = licences(p).await.len();

    let sequence = p.licence_offline_activate(&admin(), KEY).await.unwrap();
    assert!(sequence.parse::<u64>().is_ok(), "{sequence}");
    assert_eq!(licences(p).await.len(), before, "nothing active yet");
    let requests = pending(p).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["sequence_number"], sequence.as_str());
    assert_eq!(requests[0]["actions"], "activate");
    assert_eq!(requests[0]["reference"], KEY);

    let document = p
        .licence_request_document(&admin(), &sequence)
        .await
        .unwrap();
    assert!(document.contains("<LicenseRequest"), "{document}");
    assert!(document.contains(KEY), "{document}");
    assert!(document.contains("action=\"activate\""), "{document}");

    p.licence_offline_complete(
        &admin(),
        &sequence,
        "<LicenseResponse>ok</LicenseResponse>\n",
    )
    .await
    .unwrap();
    assert!(pending(p).await.is_empty(), "the request is consumed");
    let installed = licences(p).await;
    assert_eq!(installed.len(), before + 1);
    let licence = installed
        .iter()
        .find(|l| l["entitlement_id"] == KEY)
        .expect("the licence is installed");
    assert_eq!(licence["offline_mode"], true);
    assert!(matches!(
        p.licence_request_document(&admin(), &sequence).await,
        Err(BffError::NotFound)
    ));

    let events = trail(p).await;
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["licence.offline_complete", "licence.offline_activate"],
        "newest first"
    );
    assert_eq!(
        events[1].resource_uri.as_deref(),
        Some(format!("/api/admin/configuration/v1/licence_request/{sequence}/").as_str())
    );
    assert_eq!(events[1].changes["entitlement_id"]["after"], KEY);
    assert_eq!(events[0].changes["actions"], "activate");
    assert_eq!(events[0].changes["reference"], KEY);
    assert_eq!(events[0].changes["response_bytes"], 37);
    assert!(
        events
            .iter()
            .all(|e| e.result == "ok" && e.username == "admin-person"),
        "{events:?}"
    );
    assert!(
        !serde_json::to_string(&events[0].changes)
            .unwrap()
            .contains("LicenseResponse"),
        "the document itself is not in the trail"
    );
}

#[tokio::test]
async fn returning_offline_keeps_the_licence_until_the_response() {
    let world = world().await;
    let p = &world.portal;
    p.licence_add(&admin(), KEY).await.unwrap();
    let fulfillment = licences(p)
        .await
        .into_iter()
        .find(|l| l["entitlement_id"] == KEY)
        .and_then(|l| l["fulfillment_id"].as_str().map(str::to_owned))
        .expect("the licence is installed");

    let sequence = p
        .licence_offline_return(&admin(), &fulfillment)
        .await
        .unwrap();
    let requests = pending(p).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["actions"], "return");
    assert_eq!(requests[0]["reference"], fulfillment.as_str());
    assert!(
        licences(p)
            .await
            .iter()
            .any(|l| l["fulfillment_id"] == fulfillment.as_str()),
        "still installed until the response"
    );
    let document = p
        .licence_request_document(&admin(), &sequence)
        .await
        .unwrap();
    assert!(document.contains("action=\"return\""), "{document}");
    assert!(document.contains(&fulfillment), "{document}");

    p.licence_offline_complete(&admin(), &sequence, "<LicenseResponse/>")
        .await
        .unwrap();
    assert!(
        !licences(p)
            .await
            .iter()
            .any(|l| l["fulfillment_id"] == fulfillment.as_str()),
        "returned"
    );
    assert!(pending(p).await.is_empty());

    let events = trail(p).await;
    assert_eq!(events[0].action, "licence.offline_complete");
    assert_eq!(events[0].changes["actions"], "return");
    assert_eq!(events[1].action, "licence.offline_return");
    assert_eq!(
        events[1].resource_uri.as_deref(),
        Some(format!("/api/admin/configuration/v1/licence/{fulfillment}/").as_str())
    );
    assert_eq!(
        events[1].changes["licence_request"]["after"],
        format!("/api/admin/configuration/v1/licence_request/{sequence}/")
    );

    // A licence that is not installed: the node's 404.
    assert!(matches!(
        p.licence_offline_return(&admin(), &fulfillment).await,
        Err(BffError::NotFound)
    ));
}

#[tokio::test]
async fn bad_documents_and_requests_are_refused_before_the_node_is_asked() {
    let world = world().await;
    let p = &world.portal;
    let sequence = p.licence_offline_activate(&admin(), KEY).await.unwrap();
    let audited = trail(p).await.len();

    let too_big = "x".repeat(MAX_RESPONSE_DOCUMENT_BYTES + 1);
    for (document, says) in [
        ("", "Choose or paste"),
        ("  \n\t ", "Choose or paste"),
        (too_big.as_str(), "larger than 64 KB"),
        ("PK\u{3}\u{4}\u{0}binary", "must be text"),
    ] {
        let (field, message) = refused_field(
            p.licence_offline_complete(&admin(), &sequence, document)
                .await,
        );
        assert_eq!(field, RESPONSE_FIELD);
        assert!(message.contains(says), "{message}");
    }
    for bad in ["", "abc", "../1", "1/", "-1"] {
        let (field, _) = refused_field(
            p.licence_offline_complete(&admin(), bad, "<LicenseResponse/>")
                .await,
        );
        assert_eq!(field, SEQUENCE_FIELD, "{bad:?}");
        assert_eq!(
            refused_field(p.licence_request_document(&admin(), bad).await).0,
            SEQUENCE_FIELD
        );
    }
    assert_eq!(trail(p).await.len(), audited, "refusals are not audited");
    assert_eq!(pending(p).await.len(), 1, "the request is still pending");
    assert!(licences(p).await.iter().all(|l| l["entitlement_id"] != KEY));

    // An unknown request.
    assert!(matches!(
        p.licence_offline_complete(&admin(), "999", "<LicenseResponse/>")
            .await,
        Err(BffError::NotFound)
    ));
    assert!(matches!(
        p.licence_request_document(&admin(), "999").await,
        Err(BffError::NotFound)
    ));

    // The node's own refusal of a key is a form error on the key (and audited).
    let (field, message) = refused_field(p.licence_offline_activate(&admin(), "ABCG-1234").await);
    assert_eq!(field, "entitlement_id");
    assert!(message.contains("XXXX-XXXX-XXXX-XXXX"), "{message}");
    let newest = &trail(p).await[0];
    assert_eq!(newest.action, "licence.offline_activate");
    assert!(newest.result.starts_with("error"), "{}", newest.result);
}

#[tokio::test]
async fn only_admins_license_offline() {
    let world = world().await;
    let p = &world.portal;
    let sequence = p.licence_offline_activate(&admin(), KEY).await.unwrap();
    p.licence_add(&admin(), "ABCD-1234-5678-9ABC")
        .await
        .unwrap();
    let installed = licences(p).await;
    let fulfillment = installed[0]["fulfillment_id"]
        .as_str()
        .expect("a licence is installed")
        .to_owned();
    let audited = trail(p).await.len();
    for role in [Role::Helpdesk, Role::TenantAdmin, Role::User] {
        let who = actor(role);
        let forbidden = |r: Result<(), BffError>| matches!(r, Err(BffError::Forbidden));
        assert!(
            forbidden(p.licence_requests_list(&who).await.map(drop)),
            "{role}"
        );
        assert!(
            forbidden(p.licence_request_document(&who, &sequence).await.map(drop)),
            "{role}"
        );
        assert!(
            forbidden(
                p.licence_offline_activate(&who, "0000-1111-2222-3333")
                    .await
                    .map(drop)
            ),
            "{role}"
        );
        assert!(
            forbidden(p.licence_offline_return(&who, &fulfillment).await.map(drop)),
            "{role}"
        );
        assert!(
            forbidden(
                p.licence_offline_complete(&who, &sequence, "<LicenseResponse/>")
                    .await
            ),
            "{role}"
        );
    }
    assert_eq!(trail(p).await.len(), audited, "refusals are not audited");
    assert_eq!(pending(p).await.len(), 1);
    assert_eq!(licences(p).await, installed);
}
