//! The sections of the portal, in navigation order.

/// One top-level area of the portal.
#[derive(Debug, PartialEq, Eq)]
pub struct Section {
    /// URL path segment, e.g. `rooms` for `/rooms`.
    pub slug: &'static str,
    pub title: &'static str,
    /// What people do there, shown on the home page.
    pub summary: &'static str,
    /// The policy capability that makes the section useful (see `bff::policy::Operation`, and
    /// `crate::api::auth::PLATFORM_STATUS`).
    pub capability: &'static str,
}

pub const SECTIONS: &[Section] = &[
    Section {
        slug: "rooms",
        title: "Meeting rooms",
        summary: "Virtual Meeting Rooms, Auditoriums, Receptions and Test Call services: create, edit, aliases and PINs.",
        capability: "rooms_list",
    },
    Section {
        slug: "devices",
        title: "Devices",
        summary: "Device aliases that endpoints register with: create, edit, credentials.",
        capability: "devices_list",
    },
    Section {
        slug: "live",
        title: "Live",
        summary: "Conferences in progress, their participants and media quality, with call control.",
        capability: "live_view",
    },
    Section {
        slug: "status",
        title: "Status",
        summary: "The platform: Conferencing Nodes and their load, alarms, registrations, cloud bursting and licence use, as it changes.",
        capability: "platform_status",
    },
    Section {
        slug: "history",
        title: "History",
        summary: "Ended conferences and call detail records, with media statistics.",
        capability: "history_view",
    },
    Section {
        slug: "usage",
        title: "Usage",
        summary: "Usage reports per tenant and room: conferences, participant minutes, peaks, protocols and call quality by day, week or month, with CSV export.",
        capability: "usage_view",
    },
    Section {
        slug: "backups",
        title: "Backups",
        summary: "Create, download and restore configuration backups.",
        capability: "backups_manage",
    },
    Section {
        slug: "licences",
        title: "Licences",
        summary: "Licence entitlements and current usage.",
        capability: "licences_manage",
    },
    Section {
        slug: "config",
        title: "Configuration",
        summary: "Every configuration resource of the Management Node, with forms generated from its schemas.",
        capability: "platform_read",
    },
    Section {
        slug: "audit",
        title: "Audit",
        summary: "Every change made through the portal: who, what, when and from where.",
        capability: "audit_view",
    },
    Section {
        slug: "users",
        title: "Users",
        summary: "Portal accounts, roles and tenants.",
        capability: "users_manage",
    },
];

/// The sections a signed-in person with these capabilities can use.
pub fn visible(capabilities: &[String]) -> impl Iterator<Item = &'static Section> {
    SECTIONS
        .iter()
        .filter(|section| capabilities.iter().any(|c| c == section.capability))
}

/// The section whose URL segment is `slug`.
pub fn find(slug: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|section| section.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_url_safe() {
        for (i, a) in SECTIONS.iter().enumerate() {
            assert!(
                a.slug.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                a.slug
            );
            assert!(
                SECTIONS[i + 1..].iter().all(|b| b.slug != a.slug),
                "duplicate {}",
                a.slug
            );
        }
    }

    #[test]
    fn visibility_follows_capabilities() {
        let helpdesk: Vec<String> = [
            "rooms_list",
            "room_read",
            "live_view",
            "call_control",
            "history_view",
        ]
        .map(String::from)
        .to_vec();
        let slugs: Vec<&str> = visible(&helpdesk).map(|s| s.slug).collect();
        assert_eq!(slugs, vec!["rooms", "live", "history"]);
        assert_eq!(visible(&[]).count(), 0);
    }

    #[test]
    fn find_knows_every_section_and_nothing_else() {
        assert_eq!(find("rooms").map(|s| s.title), Some("Meeting rooms"));
        assert_eq!(find("users").map(|s| s.title), Some("Users"));
        assert!(find("").is_none());
        assert!(find("../etc").is_none());
    }
}
