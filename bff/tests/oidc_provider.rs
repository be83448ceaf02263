//! OpenID Connect sign-in against a real provider: `end2end/oidc/provider.mjs` (npm
//! `oidc-provider`) started by each test on a free port, driven through its sign-in form with a
//! cookie-keeping HTTP client, and the portal's side on real SQLite: the code flow with groups
//! and a verified email, single-use callbacks, the browser binding, codes the provider refuses
//! to redeem twice, unverified emails, group changes, key rotation, RP-initiated logout.

#![cfg(feature = "ssr")]

use bff::db::Db;
use bff::db::testing::TestDatabase;
use bff::identity::ExternalIdentity;
use bff::identity::oidc::{
    CallbackParams, IdTokenError, OidcError, OidcProviderConfig, PENDING_LOGIN_TTL_SECS, Provider,
    SignInStart, begin, delete_expired_pending, end_session_url, finish,
};
use pexip::client::Secret;
use reqwest::Url;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const REDIRECT_URI: &str = "http://127.0.0.1:3999/auth/oidc/test/callback";
const POST_LOGOUT_URI: &str = "http://127.0.0.1:3999/login";
const READY: &str = "oidc test provider ready at ";

/// The test provider's node process, killed on drop.
struct TestProvider {
    child: Child,
    issuer: String,
    output: Arc<Mutex<Vec<String>>>,
}

impl TestProvider {
    /// Starts `node end2end/oidc/provider.mjs` on a free port and waits for its ready line.
    fn start() -> TestProvider {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert!(
            root.join("node_modules/oidc-provider/package.json")
                .exists(),
            "this test needs the npm package oidc-provider in node_modules: run `npm ci` \
             (or `make setup`) at the repository root"
        );
        let mut child = Command::new("node")
            .arg(root.join("end2end/oidc/provider.mjs"))
            .env("OIDC_PORT", "0")
            .env("OIDC_REDIRECT_URIS", REDIRECT_URI)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run node (Node.js 20 or later is needed): {e}"));
        let output = Arc::new(Mutex::new(Vec::new()));
        let (ready, ready_rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let keep = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(issuer) = line.strip_prefix(READY) {
                    let _ = ready.send(issuer.to_owned());
                }
                keep.lock().unwrap().push(line);
            }
        });
        let keep = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                keep.lock().unwrap().push(line);
            }
        });
        let mut provider = TestProvider {
            child,
            issuer: String::new(),
            output,
        };
        match ready_rx.recv_timeout(Duration::from_secs(30)) {
            Ok(issuer) => provider.issuer = issuer,
            Err(_) => panic!(
                "the test provider did not get ready within 30 s; its output:\n{}",
                provider.output()
            ),
        }
        provider
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().join("\n")
    }

    fn config(&self, client_id: &str, secret: &str) -> OidcProviderConfig {
        OidcProviderConfig::new(
            "test",
            "Test provider",
            self.issuer.clone(),
            client_id,
            Secret::new(secret),
        )
    }

    /// The `portal` client (RS256 ID tokens).
    fn portal(&self) -> Provider {
        let config = self.config("portal", "portal-secret");
        config.validate(0).unwrap();
        Provider::new(&config).unwrap()
    }

    async fn post(&self, path: &str, json: &str) {
        let response = browser()
            .post(format!("{}{path}", self.issuer))
            .header("content-type", "application/json")
            .body(json.to_owned())
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
    }
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new "browser": its own cookies, redirects followed by hand.
fn browser() -> reqwest::Client {
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn database() -> (TestDatabase, Db) {
    let database = TestDatabase::sqlite().unwrap_or_else(|e| panic!("{e}"));
    let db = database.open().await.unwrap();
    (database, db)
}

/// Follows `url` in `browser` through the provider: the sign-in form is submitted as
/// `username` (or cancelled when `username` is `None`), until the redirect to the callback,
/// whose parameters are returned.
async fn at_provider(
    browser: &reqwest::Client,
    url: &str,
    username: Option<&str>,
) -> CallbackParams {
    let mut url = Url::parse(url).unwrap();
    for _ in 0..12 {
        let response = browser.get(url.clone()).send().await.unwrap();
        let status = response.status();
        let next = if status.is_redirection() {
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            url.join(&location).unwrap()
        } else {
            let body = response.text().await.unwrap();
            assert!(
                status.is_success() && body.contains("name=\"login\""),
                "{url}: {status}: {body}"
            );
            let Some(username) = username else {
                url = Url::parse(&format!("{url}/abort")).unwrap();
                continue;
            };
            let response = browser
                .post(format!("{url}/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("login={username}"))
                .send()
                .await
                .unwrap();
            assert!(response.status().is_redirection(), "{}", response.status());
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            url.join(&location).unwrap()
        };
        if next.as_str().starts_with(REDIRECT_URI) {
            return callback_params(&next);
        }
        url = next;
    }
    panic!("the provider never redirected to the callback");
}

/// The callback URL's query as parameters (what axum's `Query` extractor does).
fn callback_params(url: &Url) -> CallbackParams {
    let pairs: serde_json::Map<String, serde_json::Value> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(pairs)).unwrap()
}

/// A sign-in up to the callback: `begin`, then the browser at the provider as `username`.
async fn start_sign_in(
    db: &Db,
    provider: &Provider,
    username: &str,
) -> (SignInStart, CallbackParams) {
    let start = begin(db, provider, REDIRECT_URI, "/rooms?size=50")
        .await
        .unwrap();
    let params = at_provider(&browser(), &start.authorization_url, Some(username)).await;
    (start, params)
}

/// A whole sign-in as `username`.
async fn sign_in(
    db: &Db,
    provider: &Provider,
    username: &str,
) -> Result<bff::identity::oidc::SignedIn, OidcError> {
    let (start, params) = start_sign_in(db, provider, username).await;
    let (code, state) = params.code_and_state(provider).unwrap();
    finish(
        db,
        std::slice::from_ref(provider),
        provider.id(),
        code,
        state,
        Some(&start.binding_token),
        REDIRECT_URI,
    )
    .await
}

#[tokio::test]
async fn code_flow_single_use_and_browser_binding() {
    let idp = TestProvider::start();
    let (_database, db) = database().await;
    let provider = idp.portal();
    let providers = [provider.clone()];

    // The authorization request.
    let start = begin(&db, &provider, REDIRECT_URI, "/rooms?size=50")
        .await
        .unwrap();
    let url = Url::parse(&start.authorization_url).unwrap();
    assert!(
        url.as_str().starts_with(&format!("{}/auth?", idp.issuer)),
        "{url}"
    );
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["client_id"], "portal");
    assert_eq!(query["redirect_uri"], REDIRECT_URI);
    assert_eq!(query["scope"], "openid email profile");
    assert_eq!(query["code_challenge_method"], "S256");
    for key in ["state", "nonce", "code_challenge"] {
        assert_eq!(query[key].len(), 43, "{key}");
    }

    // The browser signs in at the provider and comes back.
    let params = at_provider(&browser(), &start.authorization_url, Some("olivia")).await;
    assert_eq!(params.iss.as_deref(), Some(idp.issuer.as_str()));
    let (code, state) = params.code_and_state(&provider).unwrap();
    assert_eq!(state, query["state"]);
    let signed_in = finish(
        &db,
        &providers,
        "test",
        code,
        state,
        Some(&start.binding_token),
        REDIRECT_URI,
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?}\n{}", idp.output()));
    assert_eq!(
        signed_in.identity,
        ExternalIdentity {
            source: "test".into(),
            external_id: "1001".into(),
            username: "olivia".into(),
            display_name: Some("Olivia Hansen".into()),
            email: Some("olivia@example.com".into()),
            groups: vec!["video-helpdesk".into()],
        }
    );
    assert_eq!(signed_in.next, "/rooms?size=50");
    assert_eq!(signed_in.id_token.split('.').count(), 3);
    assert!(!format!("{signed_in:?}").contains(&signed_in.id_token));

    // The same callback again: the pending sign-in is gone.
    let replay = finish(
        &db,
        &providers,
        "test",
        code,
        state,
        Some(&start.binding_token),
        REDIRECT_URI,
    )
    .await;
    assert!(matches!(replay, Err(OidcError::StaleLogin)), "{replay:?}");

    // A state that was never issued.
    let (start, params) = start_sign_in(&db, &provider, "olivia").await;
    let (code, _) = params.code_and_state(&provider).unwrap();
    let wrong_state = finish(
        &db,
        &providers,
        "test",
        code,
        "bm90LWEtc3RhdGUtd2UtaXNzdWVkLWF0LWFsbC14eHh4eHg",
        Some(&start.binding_token),
        REDIRECT_URI,
    )
    .await;
    assert!(
        matches!(wrong_state, Err(OidcError::StaleLogin)),
        "{wrong_state:?}"
    );

    // Another browser's binding token, or none: refused (and the pending sign-in is used up).
    let (start, params) = start_sign_in(&db, &provider, "olivia").await;
    let other = begin(&db, &provider, REDIRECT_URI, "/").await.unwrap();
    let (code, state) = params.code_and_state(&provider).unwrap();
    let wrong_browser = finish(
        &db,
        &providers,
        "test",
        code,
        state,
        Some(&other.binding_token),
        REDIRECT_URI,
    )
    .await;
    assert!(
        matches!(wrong_browser, Err(OidcError::WrongBrowser)),
        "{wrong_browser:?}"
    );
    let then_right = finish(
        &db,
        &providers,
        "test",
        code,
        state,
        Some(&start.binding_token),
        REDIRECT_URI,
    )
    .await;
    assert!(
        matches!(then_right, Err(OidcError::StaleLogin)),
        "{then_right:?}"
    );
    let (_, params) = start_sign_in(&db, &provider, "olivia").await;
    let (code, state) = params.code_and_state(&provider).unwrap();
    let no_cookie = finish(&db, &providers, "test", code, state, None, REDIRECT_URI).await;
    assert!(
        matches!(no_cookie, Err(OidcError::WrongBrowser)),
        "{no_cookie:?}"
    );

    // A code the provider already redeemed, brought back with a fresh pending sign-in.
    let (start, params) = start_sign_in(&db, &provider, "olivia").await;
    let (used_code, state) = params.code_and_state(&provider).unwrap();
    finish(
        &db,
        &providers,
        "test",
        used_code,
        state,
        Some(&start.binding_token),
        REDIRECT_URI,
    )
    .await
    .unwrap();
    let fresh = begin(&db, &provider, REDIRECT_URI, "/").await.unwrap();
    let fresh_state = Url::parse(&fresh.authorization_url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let code_replay = finish(
        &db,
        &providers,
        "test",
        used_code,
        &fresh_state,
        Some(&fresh.binding_token),
        REDIRECT_URI,
    )
    .await;
    assert!(
        matches!(code_replay, Err(OidcError::CodeRejected { .. })),
        "{code_replay:?}"
    );

    // A provider that is not configured.
    let unknown = finish(&db, &providers, "other", "c", "s", Some("b"), REDIRECT_URI).await;
    assert!(
        matches!(unknown, Err(OidcError::UnknownProvider)),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn emails_groups_cancel_and_sign_out() {
    let idp = TestProvider::start();
    let (_database, db) = database().await;
    let provider = idp.portal();

    // An email address the provider has not verified is not used.
    let unverified = sign_in(&db, &provider, "unverified").await.unwrap();
    assert_eq!(unverified.identity.username, "unverified");
    assert_eq!(unverified.identity.email, None);
    assert!(unverified.identity.groups.is_empty());
    let alice = sign_in(&db, &provider, "alice").await.unwrap();
    assert_eq!(
        alice.identity.email.as_deref(),
        Some("alice.olsen@example.com")
    );

    // Groups are read at every sign-in: someone removed from a group loses it.
    let oscar = sign_in(&db, &provider, "oscar").await.unwrap();
    assert_eq!(oscar.identity.groups, ["acme-video-admins"]);
    idp.post("/_test/groups/oscar", r#"{"groups": []}"#).await;
    let oscar = sign_in(&db, &provider, "oscar").await.unwrap();
    assert!(oscar.identity.groups.is_empty());
    idp.post("/_test/groups/oscar", r#"{"groups": ["a", "b"]}"#)
        .await;
    let oscar = sign_in(&db, &provider, "oscar").await.unwrap();
    assert_eq!(oscar.identity.groups, ["a", "b"]);

    // The other client, whose ID tokens are ES256.
    let two = Provider::new(&idp.config("portal-two", "portal-two-secret")).unwrap();
    let olivia = sign_in(&db, &two, "olivia").await.unwrap();
    assert_eq!(olivia.identity.username, "olivia");
    let header = olivia.id_token.split('.').next().unwrap();
    assert!(header.starts_with("eyJhbGciOiJFUzI1NiI"), "{header}");

    // A wrong client secret: the token request is refused, readably.
    let wrong = Provider::new(&idp.config("portal", "not-the-secret")).unwrap();
    let error = sign_in(&db, &wrong, "olivia").await.unwrap_err();
    assert!(
        matches!(error, OidcError::InvalidAnswer { .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains("not-the-secret"));

    // Cancelling at the provider.
    let start = begin(&db, &provider, REDIRECT_URI, "/").await.unwrap();
    let params = at_provider(&browser(), &start.authorization_url, None).await;
    let error = params.code_and_state(&provider).unwrap_err();
    assert!(matches!(error, OidcError::Denied { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "Sign-in with Test provider was cancelled or refused."
    );

    // Signing out at the provider.
    let url = end_session_url(&provider, Some(&alice.id_token), Some(POST_LOGOUT_URI))
        .await
        .unwrap();
    let parsed = Url::parse(&url).unwrap();
    assert!(
        url.starts_with(&format!("{}/session/end?", idp.issuer)),
        "{url}"
    );
    let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], "portal");
    assert_eq!(query["id_token_hint"], alice.id_token);
    assert_eq!(query["post_logout_redirect_uri"], POST_LOGOUT_URI);
    // The provider accepts the request (an unknown hint or address would be an error page) and
    // its confirmation form sends the browser back to the portal.
    let browser = browser();
    let page = browser.get(&url).send().await.unwrap();
    assert!(page.status().is_success(), "{}", page.status());
    let page = page.text().await.unwrap();
    let xsrf = page
        .split("name=\"xsrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no logout confirmation form: {page}"));
    let confirmed = browser
        .post(format!("{}/session/end/confirm", idp.issuer))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("xsrf={xsrf}&logout=yes"))
        .send()
        .await
        .unwrap();
    assert!(
        confirmed.status().is_redirection(),
        "{}",
        confirmed.status()
    );
    assert_eq!(confirmed.headers()["location"], POST_LOGOUT_URI);

    // An unreachable provider.
    let mut config = idp.config("portal", "portal-secret");
    config.issuer = "http://127.0.0.1:9".into();
    let gone = Provider::new(&config).unwrap();
    let error = begin(&db, &gone, REDIRECT_URI, "/").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "The sign-in provider Test provider cannot be reached. Try again later, or sign in \
         another way."
    );
    assert_eq!(end_session_url(&gone, None, None).await, None);
}

#[tokio::test]
async fn key_rotation_is_picked_up() {
    let idp = TestProvider::start();
    let (_database, db) = database().await;
    // Two instances of the same client: the default refetch interval, and none.
    let default = idp.portal();
    let fast = idp.portal().with_jwks_refetch_interval(Duration::ZERO);
    sign_in(&db, &default, "olivia").await.unwrap();
    sign_in(&db, &fast, "olivia").await.unwrap();

    idp.post("/_test/rotate", "{}").await;

    // The new kid is unknown to both caches: fetched again when allowed.
    let signed_in = sign_in(&db, &fast, "olivia")
        .await
        .unwrap_or_else(|e| panic!("{e:?}\n{}", idp.output()));
    let header = signed_in.id_token.split('.').next().unwrap();
    assert_eq!(
        String::from_utf8(base64_decode(header)).unwrap(),
        r#"{"alg":"RS256","kid":"rsa-2"}"#
    );
    // Within 30 s of its last fetch, a provider does not fetch again: refused, and logged.
    let error = sign_in(&db, &default, "olivia").await.unwrap_err();
    assert!(
        matches!(
            &error,
            OidcError::InvalidIdToken {
                reason: IdTokenError::UnknownKey { kid: Some(kid) },
                ..
            } if kid == "rsa-2"
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn abandoned_sign_ins_expire_sqlite() {
    let database = TestDatabase::sqlite().unwrap_or_else(|e| panic!("{e}"));
    abandoned_sign_ins_expire(database).await;
}

/// The pending sign-ins on PostgreSQL too (same migration, same statements).
#[tokio::test]
async fn abandoned_sign_ins_expire_postgres() {
    let database = TestDatabase::postgres()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    abandoned_sign_ins_expire(database).await;
}

async fn abandoned_sign_ins_expire(database: TestDatabase) {
    let idp = TestProvider::start();
    let db = database.open().await.unwrap();
    let provider = idp.portal();
    let providers = [provider.clone()];
    // A whole sign-in works, once.
    let (start, params) = start_sign_in(&db, &provider, "olivia").await;
    let (code, state) = params.code_and_state(&provider).unwrap();
    let binding = Some(start.binding_token.as_str());
    let signed_in = finish(&db, &providers, "test", code, state, binding, REDIRECT_URI).await;
    assert_eq!(signed_in.unwrap().identity.username, "olivia");
    let replay = finish(&db, &providers, "test", code, state, binding, REDIRECT_URI).await;
    assert!(matches!(replay, Err(OidcError::StaleLogin)), "{replay:?}");

    let (start, params) = start_sign_in(&db, &provider, "olivia").await;
    let _abandoned = begin(&db, &provider, REDIRECT_URI, "/").await.unwrap();
    age_pending(&db, PENDING_LOGIN_TTL_SECS + 1).await;
    // Too old to finish…
    let (code, state) = params.code_and_state(&provider).unwrap();
    let binding = Some(start.binding_token.as_str());
    let late = finish(&db, &providers, "test", code, state, binding, REDIRECT_URI).await;
    assert!(matches!(late, Err(OidcError::StaleLogin)), "{late:?}");
    // …and deleted by the cleanup (the other one; the late one was taken).
    assert_eq!(delete_expired_pending(&db).await.unwrap(), 1);
    assert_eq!(delete_expired_pending(&db).await.unwrap(), 0);
}

/// Makes every pending sign-in `secs` older.
async fn age_pending(db: &Db, secs: i64) {
    const AGE: &str = "UPDATE oidc_logins SET created_at = created_at - $1";
    match db {
        Db::Sqlite(pool) => sqlx::query(AGE).bind(secs).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(AGE).bind(secs).execute(pool).await.map(|_| ()),
    }
    .unwrap();
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}
