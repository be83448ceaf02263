//! Why a directory sign-in or check failed. The `Display` messages are fit for the sign-in page;
//! the details carried by some variants are for logs and the readiness check, and never hold a
//! password.

use std::io;

/// A failed [`super::Directory`] operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LdapError {
    /// Unknown username, wrong password, or an empty one (the three are not told apart).
    #[error("Wrong username or password.")]
    InvalidCredentials,
    /// The username matches more than one directory entry (the filter is too loose).
    #[error(
        "More than one directory account matches this username, so it cannot be used to sign \
         in. Ask your administrator."
    )]
    Ambiguous,
    /// The directory could not be reached (down, refused, network); the detail says why.
    #[error("The company directory cannot be reached right now. Try again later.")]
    Unreachable(String),
    /// The directory refused the portal's own set-up (service account, search base, filter,
    /// TLS trust); the detail names the `ldap.*` key to look at.
    #[error("Sign-in with the company directory is not set up correctly. Ask your administrator.")]
    Misconfigured(String),
    /// The directory did not answer within `ldap.timeout_secs`.
    #[error("The company directory did not answer in time. Try again later.")]
    Timeout,
}

impl LdapError {
    /// The detail behind an `Unreachable` or `Misconfigured` error (for logs and readiness
    /// reports, not for the sign-in page).
    pub fn detail(&self) -> Option<&str> {
        match self {
            LdapError::Unreachable(detail) | LdapError::Misconfigured(detail) => Some(detail),
            _ => None,
        }
    }

    /// A short lower-case phrase for a sentence such as "Signing in is not possible right
    /// now (…)."
    pub fn reason(&self) -> &'static str {
        match self {
            LdapError::InvalidCredentials => "wrong username or password",
            LdapError::Ambiguous => "more than one directory account matches this username",
            LdapError::Unreachable(_) => "the company directory cannot be reached",
            LdapError::Misconfigured(_) => "sign-in with the company directory is not set up",
            LdapError::Timeout => "the company directory did not answer in time",
        }
    }
}

/// Whether `error` means the connection itself is gone (the server closed it, the socket
/// failed): the connection must be discarded, and a reused one may be replaced and retried.
pub(crate) fn connection_lost(error: &ldap3::LdapError) -> bool {
    matches!(
        error,
        ldap3::LdapError::Io { .. }
            | ldap3::LdapError::OpSend { .. }
            | ldap3::LdapError::ResultRecv { .. }
            | ldap3::LdapError::IdScrubSend { .. }
            | ldap3::LdapError::EndOfStream
    )
}

/// A failure while opening a connection to `url` (TCP, TLS handshake, StartTLS).
pub(crate) fn connect_error(url: &str, error: &ldap3::LdapError) -> LdapError {
    if let Some(tls) = find_rustls_error(error) {
        return tls_error(url, tls);
    }
    match error {
        ldap3::LdapError::Io { source } => LdapError::Unreachable(io_detail(url, source)),
        ldap3::LdapError::Timeout { .. } => LdapError::Unreachable(format!(
            "{url} did not accept a connection in time (ldap.connect_timeout_secs)"
        )),
        ldap3::LdapError::LdapResult { result } => LdapError::Misconfigured(format!(
            "{url} refused StartTLS (result {} {}{}); use ldaps:// or turn ldap.starttls off",
            result.rc,
            result_name(result.rc),
            text_suffix(&result.text)
        )),
        ldap3::LdapError::DNSName { .. } => LdapError::Misconfigured(format!(
            "the host of {url} is not a name a TLS certificate can be checked against"
        )),
        other if connection_lost(other) => {
            LdapError::Unreachable(format!("{url} closed the connection while it was opened"))
        }
        other => LdapError::Unreachable(format!("cannot connect to {url}: {other}")),
    }
}

/// A failure of an operation on an open connection (`what`: "the service account bind", …).
pub(crate) fn operation_error(url: &str, what: &str, error: &ldap3::LdapError) -> LdapError {
    match error {
        ldap3::LdapError::Timeout { .. } => LdapError::Timeout,
        ldap3::LdapError::Io { source } => {
            LdapError::Unreachable(format!("{what}: {}", io_detail(url, source)))
        }
        other if connection_lost(other) => {
            LdapError::Unreachable(format!("{url} closed the connection during {what}"))
        }
        ldap3::LdapError::LdapResult { result } => result_error(what, result.rc, &result.text),
        other => LdapError::Unreachable(format!("{what} on {url} failed: {other}")),
    }
}

/// An LDAP result code other than success, for `what`.
pub(crate) fn result_error(what: &str, rc: u32, text: &str) -> LdapError {
    let detail = format!(
        "{what}: result {rc} {}{}",
        result_name(rc),
        text_suffix(text)
    );
    match rc {
        3 => LdapError::Timeout,
        51 | 52 | 80 => LdapError::Unreachable(detail),
        _ => LdapError::Misconfigured(detail),
    }
}

/// The RFC 4511 name of a result code.
pub(crate) fn result_name(rc: u32) -> &'static str {
    match rc {
        0 => "success",
        1 => "operationsError",
        2 => "protocolError",
        3 => "timeLimitExceeded",
        4 => "sizeLimitExceeded",
        7 => "authMethodNotSupported",
        8 => "strongerAuthRequired",
        10 => "referral",
        11 => "adminLimitExceeded",
        12 => "unavailableCriticalExtension",
        13 => "confidentialityRequired",
        16 => "noSuchAttribute",
        17 => "undefinedAttributeType",
        18 => "inappropriateMatching",
        19 => "constraintViolation",
        32 => "noSuchObject",
        34 => "invalidDNSyntax",
        48 => "inappropriateAuthentication",
        49 => "invalidCredentials",
        50 => "insufficientAccessRights",
        51 => "busy",
        52 => "unavailable",
        53 => "unwillingToPerform",
        80 => "other",
        _ => "",
    }
}

fn text_suffix(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

fn io_detail(url: &str, error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => {
            format!("{url} refused the connection (is the directory server running?)")
        }
        io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => {
            format!("{url} closed the connection")
        }
        io::ErrorKind::UnexpectedEof => format!("{url} closed the connection unexpectedly"),
        io::ErrorKind::TimedOut => format!("{url} did not answer (network timeout)"),
        _ => format!("cannot talk to {url}: {error}"),
    }
}

/// The rustls error somewhere in `error`'s chain (ldap3 wraps it in an `io::Error`).
fn find_rustls_error(error: &ldap3::LdapError) -> Option<&rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(err) = current {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(io) = err.downcast_ref::<io::Error>()
            && let Some(inner) = io.get_ref()
        {
            if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                return Some(tls);
            }
            current = inner.source();
            continue;
        }
        current = err.source();
    }
    None
}

fn tls_error(url: &str, error: &rustls::Error) -> LdapError {
    use rustls::CertificateError as C;
    let why = match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::UnknownIssuer => "is not issued by a trusted CA",
            C::BadSignature => "has a bad signature",
            C::Expired | C::ExpiredContext { .. } => "has expired",
            C::NotValidYet | C::NotValidYetContext { .. } => "is not valid yet",
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "is not valid for the host name in ldap.url"
            }
            C::Revoked => "is revoked",
            _ => "is not acceptable",
        },
        other => {
            return LdapError::Unreachable(format!("the TLS handshake with {url} failed: {other}"));
        }
    };
    LdapError::Misconfigured(format!(
        "the TLS certificate of {url} {why}; set ldap.ca_file to the PEM of the CA that issued it"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_for_people() {
        for error in [
            LdapError::InvalidCredentials,
            LdapError::Ambiguous,
            LdapError::Unreachable("connect: os error 111 secret".into()),
            LdapError::Misconfigured("rc 49".into()),
            LdapError::Timeout,
        ] {
            let message = error.to_string();
            assert!(message.ends_with('.'), "{message}");
            assert!(!message.contains("os error") && !message.contains("rc "));
        }
        assert_eq!(
            LdapError::Unreachable("x".into()).detail(),
            Some("x"),
            "the detail is kept for logs"
        );
    }

    #[test]
    fn certificate_problems_name_the_ca_file() {
        let wrapped = ldap3::LdapError::Io {
            source: io::Error::new(
                io::ErrorKind::InvalidData,
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
            ),
        };
        let error = connect_error("ldaps://dc1:636", &wrapped);
        let LdapError::Misconfigured(detail) = error else {
            panic!("{error:?}");
        };
        assert!(detail.contains("not issued by a trusted CA"), "{detail}");
        assert!(detail.contains("ldap.ca_file"), "{detail}");
    }

    #[test]
    fn result_codes_are_named() {
        assert_eq!(
            result_error("the search", 32, "no such base"),
            LdapError::Misconfigured("the search: result 32 noSuchObject: no such base".into())
        );
        assert_eq!(result_error("x", 3, ""), LdapError::Timeout);
        assert!(matches!(
            result_error("x", 52, ""),
            LdapError::Unreachable(_)
        ));
    }
}
