//! Users: authentication settings, account roles, LDAP roles, permissions, and (from v20 on)
//! the end users of the directory.

use serde_json::json;

use super::builder::{READ_ONLY, ResourceBuilder};
use super::field::*;
use super::{Resource, Section};

pub(super) fn resources() -> Vec<Resource> {
    vec![authentication(), role(), ldap_role(), permission()]
}

fn authentication() -> Resource {
    ResourceBuilder::new("authentication", "Authentication", Section::Users)
        .singleton()
        .field("ldap_base_dn", text("The base DN of the LDAP forest to query. Maximum length: 255 characters."))
        .secret("ldap_bind_password", "The password used to bind to the LDAP server. Maximum length: 100 characters.")
        .field("ldap_bind_username", text("The username used to bind to the LDAP server. Maximum length: 255 characters."))
        .field("ldap_group_filter", text("The LDAP filter used to find groups. Maximum length: 1024 characters.").default(json!("(|(objectclass=group)(objectclass=groupOfNames)(objectclass=groupOfUniqueNames)(objectclass=posixGroup))")))
        .field("ldap_group_membership_filter", text("The LDAP filter used to find the groups a user belongs to. Maximum length: 1024 characters.").default(json!("(|(member={userdn})(uniquemember={userdn})(memberuid={useruid}))")))
        .field("ldap_group_search_dn", text("The DN relative to the base DN in which to search for groups. Maximum length: 255 characters."))
        .field("ldap_permit_no_tls", boolean("Permit the connection to the LDAP server to fall back to an unencrypted connection.", false))
        .field("ldap_server", text("The hostname or IP address of the LDAP server. Maximum length: 255 characters."))
        .field("ldap_use_global_catalog", boolean("Search the Active Directory Global Catalog instead of traditional LDAP.", false))
        .field("ldap_user_filter", text("The LDAP filter used to find users. Maximum length: 1024 characters.").default(json!("(&(objectclass=person)(!(objectclass=computer)))")))
        .field("ldap_user_search_dn", text("The DN relative to the base DN in which to search for users. Maximum length: 255 characters."))
        .field("ldap_user_search_filter", text("The LDAP filter used to find a user by login name. Maximum length: 1024 characters.").default(json!("(|(uid={username})(sAMAccountName={username}))")))
        .field("source", choice("Where administrator accounts are authenticated.", "LOCAL", &["LOCAL", "LDAP", "LDAP_AND_LOCAL"]))
        .build()
}

fn role() -> Resource {
    ResourceBuilder::new("role", "Account role", Section::Users)
        .field(
            "name",
            string("The name of the role. Maximum length: 250 characters.").unique(),
        )
        .related(
            "permissions",
            "permission",
            to_many("The permissions the role grants."),
        )
        .filter(&["name"])
        .filter_related(&["permissions"])
        .order(&["name"])
        .build()
}

fn ldap_role() -> Resource {
    ResourceBuilder::new("ldap_role", "LDAP role", Section::Users)
        .field("ldap_group_dn", string("The DN of the LDAP group whose members get the roles. Maximum length: 255 characters."))
        .field("name", string("The name of the LDAP role. Maximum length: 250 characters.").unique())
        .related("roles", "role", to_many("The account roles granted to members of the group."))
        .filter(&["name", "ldap_group_dn"])
        .filter_related(&["roles"])
        .order(&["name", "ldap_group_dn"])
        .build()
}

fn permission() -> Resource {
    ResourceBuilder::new("permission", "Permission", Section::Users)
        .methods(READ_ONLY, READ_ONLY)
        .field(
            "codename",
            string("The code name of the permission. Maximum length: 100 characters.").readonly(),
        )
        .field(
            "name",
            string("The name of the permission. Maximum length: 255 characters.").readonly(),
        )
        .filter(&["name", "codename"])
        .order(&["name", "codename"])
        .build()
}

/// The directory's end users (v20 and later).
pub(super) fn end_user() -> Resource {
    ResourceBuilder::new("end_user", "End user", Section::Users)
        .field("avatar_url", text("The URL of the user's avatar image. Maximum length: 255 characters."))
        .field("department", text("The user's department. Maximum length: 100 characters."))
        .field("description", text("A description of the user. Maximum length: 250 characters."))
        .field("display_name", text("The user's display name. Maximum length: 250 characters."))
        .field("exchange_user_id", text("The user's identifier in Exchange on-premises.").nullable().default(serde_json::Value::Null))
        .field("first_name", text("The user's first name. Maximum length: 250 characters."))
        .field("last_name", text("The user's last name. Maximum length: 250 characters."))
        .field("mobile_number", text("The user's mobile telephone number. Maximum length: 100 characters."))
        .field("ms_exchange_guid", text("The user's Exchange mailbox GUID. Maximum length: 36 characters.").nullable().default(serde_json::Value::Null))
        .field("primary_email_address", string("The user's email address. Maximum length: 100 characters.").unique())
        .field("sync_tag", text("An identifier used to track synchronization of this user with an LDAP directory. Maximum length: 250 characters."))
        .field("telephone_number", text("The user's telephone number. Maximum length: 100 characters."))
        .field("title", text("The user's job title. Maximum length: 128 characters."))
        .field("user_oid", text("The user's object ID in Microsoft Entra ID. Maximum length: 100 characters."))
        .field("uuid", string("The unique identifier of the user.").readonly().unique())
        .filter(&["primary_email_address", "display_name", "first_name", "last_name", "department", "sync_tag", "uuid"])
        .order(&["primary_email_address", "display_name", "first_name", "last_name", "department"])
        .build()
}
