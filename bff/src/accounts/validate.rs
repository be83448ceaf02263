//! Rules for usernames, passwords, email addresses and role/tenant combinations. Compiled
//! without `ssr` so forms can check input before sending it.

use super::Role;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted (hashing cost is bounded).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// The longest username accepted.
pub const MAX_USERNAME_CHARS: usize = 64;

/// The username in its stored form (trimmed, lower case), or why it is not acceptable.
pub fn normalize_username(raw: &str) -> Result<String, String> {
    let name = raw.trim().to_lowercase();
    if name.is_empty() {
        return Err("the username is empty".into());
    }
    if name.chars().count() > MAX_USERNAME_CHARS {
        return Err(format!(
            "the username is longer than {MAX_USERNAME_CHARS} characters"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')))
    {
        return Err(format!(
            "the username may only hold letters, digits and . _ - @ (found `{bad}`)"
        ));
    }
    Ok(name)
}

/// Whether a new password is acceptable.
pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters long"
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(format!(
            "the password must be at most {MAX_PASSWORD_BYTES} bytes long"
        ));
    }
    if password.trim() != password {
        return Err("the password must not start or end with white space".into());
    }
    Ok(())
}

/// The email address in its stored form (trimmed, lower case), or why it is not acceptable.
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        });
    if valid {
        Ok(email)
    } else {
        Err(format!("`{}` is not an email address", raw.trim()))
    }
}

/// Whether the role, tenant and email fit together: a `tenant_admin` needs a tenant and only
/// it may have one; a `user` needs an email address.
pub fn check_role_fields(
    role: Role,
    tenant_id: Option<i64>,
    email: Option<&str>,
) -> Result<(), String> {
    match (role, tenant_id) {
        (Role::TenantAdmin, None) => {
            return Err("a tenant_admin account needs a tenant".into());
        }
        (Role::Admin | Role::Helpdesk | Role::User, Some(_)) => {
            return Err(format!("a {role} account cannot belong to a tenant"));
        }
        _ => {}
    }
    if role == Role::User && email.is_none() {
        return Err("a user account needs an email address".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalized_and_checked() {
        assert_eq!(normalize_username("  Alice.B ").unwrap(), "alice.b");
        assert!(normalize_username("").is_err());
        assert!(normalize_username("a b").unwrap_err().contains("` `"));
        assert!(normalize_username(&"x".repeat(65)).is_err());
    }

    #[test]
    fn passwords_need_length_and_no_outer_space() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pw").is_ok());
        assert!(check_password(" long enough pw").is_err());
        assert!(check_password(&"x".repeat(2000)).is_err());
    }

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            normalize_email(" Bob@Example.COM ").unwrap(),
            "bob@example.com"
        );
        for bad in ["", "bob", "@x", "bob@", "a@b@c", "a b@c"] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn role_fields_fit_together() {
        assert!(check_role_fields(Role::TenantAdmin, Some(1), None).is_ok());
        assert!(check_role_fields(Role::TenantAdmin, None, None).is_err());
        assert!(check_role_fields(Role::Admin, Some(1), None).is_err());
        assert!(check_role_fields(Role::User, None, None).is_err());
        assert!(check_role_fields(Role::User, None, Some("u@x")).is_ok());
        assert!(check_role_fields(Role::Helpdesk, None, None).is_ok());
    }
}
