//! A small pool of established directory connections. Each use starts with a bind as the service
//! account (a connection may have been left bound as a person); a connection that fails is
//! discarded, and a reused one that turns out to be dead is replaced at once. The pool's size
//! bounds the directory operations in flight.

use super::config::Transport;
use super::error::{LdapError, connect_error, connection_lost, operation_error, result_error};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings};
use pexip::client::Secret;
use rustls::ClientConfig;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// How to reach the directory and who the portal is there.
pub(crate) struct PoolSettings {
    pub url: String,
    pub transport: Transport,
    pub tls: Option<Arc<ClientConfig>>,
    pub connect_timeout: Duration,
    pub op_timeout: Duration,
    /// The service account's DN and password; `None`: anonymous.
    pub service: Option<(String, Secret)>,
    pub size: usize,
}

pub(crate) struct Pool {
    settings: PoolSettings,
    idle: Mutex<Vec<Ldap>>,
    permits: Semaphore,
    opened: AtomicU64,
}

/// A connection bound as the service account, held for one sign-in or check. Dropping it
/// discards the connection; [`Lease::release`] returns it to the pool.
pub(crate) struct Lease<'a> {
    pool: &'a Pool,
    ldap: Option<Ldap>,
    _permit: SemaphorePermit<'a>,
}

/// A failed service bind: whether the connection is gone, and the error.
struct BindFailure {
    lost: bool,
    error: LdapError,
}

impl Pool {
    pub(crate) fn new(settings: PoolSettings) -> Pool {
        Pool {
            permits: Semaphore::new(settings.size),
            idle: Mutex::new(Vec::with_capacity(settings.size)),
            opened: AtomicU64::new(0),
            settings,
        }
    }

    pub(crate) fn url(&self) -> &str {
        &self.settings.url
    }

    pub(crate) fn op_timeout(&self) -> Duration {
        self.settings.op_timeout
    }

    /// Connections opened since the start.
    pub(crate) fn opened(&self) -> u64 {
        self.opened.load(Ordering::Relaxed)
    }

    /// A connection bound as the service account: an idle one when there is one that still
    /// works, else a new one. Waits at most the operation timeout for a free slot.
    pub(crate) async fn acquire(&self) -> Result<Lease<'_>, LdapError> {
        let permit =
            match tokio::time::timeout(self.settings.op_timeout, self.permits.acquire()).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_closed)) => {
                    return Err(LdapError::Unreachable(
                        "the connection pool is closed".into(),
                    ));
                }
                Err(_elapsed) => {
                    tracing::warn!(
                        url = %self.settings.url,
                        pool_size = self.settings.size,
                        "ldap: every directory connection stayed busy for ldap.timeout_secs"
                    );
                    return Err(LdapError::Timeout);
                }
            };
        loop {
            let idle = self.idle.lock().expect("ldap pool lock").pop();
            let Some(mut ldap) = idle else { break };
            if ldap.is_closed() {
                tracing::debug!(url = %self.settings.url, "ldap: closed idle connection dropped");
                continue;
            }
            match self.bind_service(&mut ldap).await {
                Ok(()) => return Ok(self.lease(ldap, permit)),
                Err(BindFailure { lost: true, error }) => {
                    tracing::debug!(url = %self.settings.url, ?error,
                        "ldap: idle connection no longer works; replacing it");
                }
                Err(BindFailure { error, .. }) => return Err(error),
            }
        }
        let mut ldap = self.open().await?;
        match self.bind_service(&mut ldap).await {
            Ok(()) => Ok(self.lease(ldap, permit)),
            Err(BindFailure { error, .. }) => Err(error),
        }
    }

    fn lease<'a>(&'a self, ldap: Ldap, permit: SemaphorePermit<'a>) -> Lease<'a> {
        Lease {
            pool: self,
            ldap: Some(ldap),
            _permit: permit,
        }
    }

    /// Opens, and for StartTLS upgrades, a new connection within the connect timeout.
    async fn open(&self) -> Result<Ldap, LdapError> {
        let s = &self.settings;
        // The timeout below covers TCP, TLS and StartTLS alike (ldap3's own covers less).
        let mut conn_settings =
            LdapConnSettings::new().set_starttls(s.transport == Transport::StartTls);
        if let Some(tls) = &s.tls {
            conn_settings = conn_settings.set_config(tls.clone());
        }
        let connect = LdapConnAsync::with_settings(conn_settings, &s.url);
        let (conn, ldap) = match tokio::time::timeout(s.connect_timeout, connect).await {
            Ok(Ok(pair)) => pair,
            Ok(Err(error)) => return Err(connect_error(&s.url, &error)),
            Err(_elapsed) => {
                return Err(LdapError::Unreachable(format!(
                    "{} did not accept a connection within {} s (ldap.connect_timeout_secs)",
                    s.url,
                    s.connect_timeout.as_secs()
                )));
            }
        };
        tokio::spawn(async move {
            if let Err(error) = conn.drive().await {
                tracing::debug!(%error, "ldap: connection ended");
            }
        });
        self.opened.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(url = %s.url, opened = self.opened(), "ldap: connection opened");
        Ok(ldap)
    }

    /// Binds `ldap` as the service account (or anonymously without one).
    async fn bind_service(&self, ldap: &mut Ldap) -> Result<(), BindFailure> {
        let s = &self.settings;
        let (dn, password) = match &s.service {
            Some((dn, password)) => (dn.as_str(), password.expose()),
            None => ("", ""),
        };
        let what = "the service account bind";
        match ldap
            .with_timeout(s.op_timeout)
            .simple_bind(dn, password)
            .await
        {
            Ok(result) if result.rc == 0 => Ok(()),
            Ok(result) => {
                let error = match (result.rc, s.service.is_some()) {
                    (49, true) => LdapError::Misconfigured(format!(
                        "{url} refused the service account {dn}: invalid credentials \
                         (check ldap.bind_dn and its password){text}",
                        url = s.url,
                        text = if result.text.is_empty() {
                            String::new()
                        } else {
                            format!("; {}", result.text.trim())
                        }
                    )),
                    (48 | 50 | 53, false) => LdapError::Misconfigured(format!(
                        "{} does not allow anonymous searches; set ldap.bind_dn and its password",
                        s.url
                    )),
                    (rc, _) => result_error(what, rc, &result.text),
                };
                Err(BindFailure { lost: false, error })
            }
            Err(error) => Err(BindFailure {
                lost: connection_lost(&error),
                error: operation_error(&s.url, what, &error),
            }),
        }
    }
}

impl Lease<'_> {
    /// The connection.
    pub(crate) fn ldap(&mut self) -> &mut Ldap {
        self.ldap
            .as_mut()
            .expect("a lease holds its connection until released")
    }

    /// Binds the connection as the service account again (after a person's bind).
    pub(crate) async fn rebind_service(&mut self) -> Result<(), LdapError> {
        let pool = self.pool;
        pool.bind_service(self.ldap()).await.map_err(|f| f.error)
    }

    /// Returns the connection to the pool for the next sign-in.
    pub(crate) fn release(mut self) {
        if let Some(mut ldap) = self.ldap.take()
            && !ldap.is_closed()
        {
            self.pool.idle.lock().expect("ldap pool lock").push(ldap);
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if self.ldap.take().is_some() {
            tracing::debug!(url = %self.pool.settings.url, "ldap: connection discarded");
        }
    }
}
