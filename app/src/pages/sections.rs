//! The sections of the portal, in navigation order.

/// One top-level area of the portal.
#[derive(Debug, PartialEq, Eq)]
pub struct Section {
    /// URL path segment, e.g. `rooms` for `/rooms`.
    pub slug: &'static str,
    pub title: &'static str,
    /// What people do there, shown on the home page and the section's own page.
    pub summary: &'static str,
}

pub const SECTIONS: &[Section] = &[
    Section {
        slug: "rooms",
        title: "Meeting rooms",
        summary: "Virtual Meeting Rooms, Auditoriums, Receptions and Test Call services: create, edit, aliases and PINs.",
    },
    Section {
        slug: "live",
        title: "Live",
        summary: "Conferences in progress, their participants and media quality, with call control.",
    },
    Section {
        slug: "history",
        title: "History",
        summary: "Ended conferences and call detail records, with media statistics.",
    },
    Section {
        slug: "backups",
        title: "Backups",
        summary: "Create, download and restore configuration backups.",
    },
    Section {
        slug: "licences",
        title: "Licences",
        summary: "Licence entitlements and current usage.",
    },
    Section {
        slug: "audit",
        title: "Audit",
        summary: "Every change made through the portal: who, what, when and from where.",
    },
    Section {
        slug: "users",
        title: "Users",
        summary: "Portal accounts, roles and tenants.",
    },
];

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
    fn find_knows_every_section_and_nothing_else() {
        assert_eq!(find("rooms").map(|s| s.title), Some("Meeting rooms"));
        assert_eq!(find("users").map(|s| s.title), Some("Users"));
        assert!(find("").is_none());
        assert!(find("../etc").is_none());
    }
}
