//! Fuzz targets (see the `fuzz` crate) for what the server binary parses itself: its
//! configuration (TOML file and `PORTAL_…` environment values) and backup file names.

use crate::backup_files::check_filename;
use crate::config;
use fuzz::proptest::prelude::*;
use fuzz::{run, text};
use std::path::Path;

const CONFIG_FILES: &[&str] = &[
    "[server]\naddress = \"127.0.0.1:3000\"\nbody_limit_bytes = 1048576\n",
    "[pexip]\nurl = \"https://pexip.example.com\"\nusername = \"admin\"\npassword = \"s3cret\"\nca_file = \"/etc/ssl/node.pem\"\n",
    "[database]\nurl = \"postgres://portal@127.0.0.1/portal\"\n[sessions]\nstore = \"redis\"\nredis_url = \"redis://127.0.0.1:6379\"\n",
    "[[roles.rules]]\ngroup = \"video-admins\"\nrole = \"admin\"\n[[roles.rules]]\ngroup = \"acme\"\nrole = \"tenant_admin\"\ntenant = \"acme\"\n",
    "[ldap]\nurl = \"ldap://127.0.0.1:389\"\nbind_dn = \"cn=portal\"\n[[oidc.providers]]\nid = \"sso\"\nissuer = \"https://sso.example\"\n",
    "[log]\nlevel = \"info\"\nformat = \"json\"\n",
];

const ENV_NAMES: &[&str] = &[
    "PORTAL_SERVER__BODY_LIMIT_BYTES",
    "PORTAL_SERVER__ADDRESS",
    "PORTAL_PEXIP__PASSWORD",
    "PORTAL_PEXIP__URL",
    "PORTAL_SESSIONS__IDLE_TIMEOUT_SECS",
    "PORTAL_DATABASE__URL",
    "PORTAL_LOG__LEVEL",
    "PORTAL_SERVER",
    "PORTAL_",
    "PORTAL_A__B__C__D",
];

#[test]
fn fuzz_configuration_values() {
    let env = prop::collection::vec((text::around(ENV_NAMES), any::<String>()), 0..4);
    run(
        "configuration",
        (text::around(CONFIG_FILES), env),
        |(file, env)| {
            let _ = config::load(Some((Path::new("portal.toml"), file)), env.clone());
            let _ = config::load(None, env.clone());
        },
    );
}

#[test]
fn fuzz_backup_file_names() {
    const NAMES: &[&str] = &[
        "pexip_backup_10-44-1-10_14_1_0_17_01_09_10_15_00.tar",
        "backup.tar.gz",
        "../etc/passwd",
        "%2e%2e%2fetc",
    ];
    run("backup file names", text::around(NAMES), |name| {
        if check_filename(name).is_ok() {
            // Whatever passes cannot leave the backups folder or break a header.
            assert!(
                !name.contains(['/', '\\', '\0', '"', '\r', '\n', ' ']),
                "{name:?}"
            );
            assert!(
                !name.contains("..") && !name.starts_with(['.', '-']),
                "{name:?}"
            );
        }
    });
}
