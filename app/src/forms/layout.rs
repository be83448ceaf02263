//! The per-resource layout table: field order, groups, labels, inline sub-lists and fields
//! edited elsewhere. It only arranges what the schema serves: a field the table does not name
//! still renders (in "Other settings"), and a field it names that the schema lacks is skipped,
//! so a newer node's extra fields appear with no code change.

use super::kind::FieldSpec;
use super::labels::field_label;
use pexip::Schema;

/// A titled group of fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    pub title: &'static str,
    pub fields: &'static [&'static str],
}

/// How one resource's form is arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub resource: &'static str,
    pub groups: &'static [Group],
    pub labels: &'static [(&'static str, &'static str)],
    /// To-many fields edited inline: (field, columns of each sub-object).
    pub inline: &'static [(&'static str, &'static [&'static str])],
    /// Fields the page edits outside the form (never rendered by it).
    pub elsewhere: &'static [&'static str],
}

/// The layout of a resource without an entry: one group, fields in schema order.
pub const DEFAULT: Layout = Layout {
    resource: "",
    groups: &[],
    labels: &[],
    inline: &[],
    elsewhere: &[],
};

const TABLE: &[Layout] = &[
    Layout {
        resource: "conference",
        groups: &[
            Group {
                title: "Service",
                fields: &[
                    "name",
                    "service_type",
                    "description",
                    "primary_owner_email_address",
                    "tag",
                ],
            },
            Group {
                title: "Access",
                fields: &["aliases", "pin", "allow_guests", "guest_pin"],
            },
            Group {
                title: "Layout and media",
                fields: &[
                    "host_view",
                    "guest_view",
                    "call_type",
                    "max_pixels_per_second",
                    "max_callrate_in",
                    "max_callrate_out",
                    "participant_limit",
                    "crypto_mode",
                    "ivr_theme",
                    "guests_can_present",
                    "force_presenter_into_main",
                    "enable_overlay_text",
                    "enable_chat",
                    "mute_all_guests",
                ],
            },
            Group {
                title: "Routing",
                fields: &[
                    "system_location",
                    "mssip_proxy",
                    "media_playlist",
                    "sync_tag",
                ],
            },
        ],
        labels: &[
            ("pin", "Host PIN"),
            ("max_callrate_in", "Maximum inbound call bandwidth (kbps)"),
            ("max_callrate_out", "Maximum outbound call bandwidth (kbps)"),
            ("primary_owner_email_address", "Owner's email address"),
            ("tag", "Tag (tenant)"),
            ("service_type", "Service type"),
        ],
        inline: &[("aliases", &["alias", "description"])],
        elsewhere: &["automatic_participants"],
    },
    Layout {
        resource: "automatic_participant",
        groups: &[Group {
            title: "Participant",
            fields: &[
                "alias",
                "remote_display_name",
                "role",
                "protocol",
                "routing",
                "system_location",
                "call_type",
                "keep_conference_alive",
                "description",
            ],
        }],
        labels: &[("alias", "Alias to dial")],
        inline: &[],
        // The room page adds participants to its own room.
        elsewhere: &["conference"],
    },
];

/// The layout of `resource` (the default when the table has none).
pub fn for_resource(resource: &str) -> &'static Layout {
    TABLE
        .iter()
        .find(|layout| layout.resource == resource)
        .unwrap_or(&DEFAULT)
}

impl Layout {
    /// The label of a field: the one the table gives it, or a readable form of its name.
    pub fn label(&self, field: &str) -> String {
        self.labels
            .iter()
            .find(|(name, _)| *name == field)
            .map_or_else(|| field_label(field), |(_, label)| label.to_string())
    }

    /// The columns of an inline to-many field.
    pub fn inline(&self, field: &str) -> Option<&'static [&'static str]> {
        self.inline
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, columns)| *columns)
    }

    /// The schema's fields arranged in sections: the table's groups (fields the schema has),
    /// then every other editable field under "Other settings" (for a resource without a table
    /// entry: "Settings", required fields first), then the read-only ones under "Details".
    pub fn sections(&self, schema: &Schema) -> Vec<Section> {
        let specs: Vec<FieldSpec> = schema
            .fields
            .iter()
            .filter(|(name, _)| !self.elsewhere.contains(&name.as_str()))
            .map(|(name, field)| FieldSpec::new(name, field, self))
            .collect();
        let named = |name: &str| self.groups.iter().any(|g| g.fields.contains(&name));
        let mut sections: Vec<Section> = self
            .groups
            .iter()
            .map(|group| Section {
                title: group.title.to_string(),
                fields: group
                    .fields
                    .iter()
                    .filter_map(|name| specs.iter().find(|s| s.name == *name && !s.read_only))
                    .cloned()
                    .collect(),
            })
            .collect();
        let mut rest: Vec<FieldSpec> = specs
            .iter()
            .filter(|s| !s.read_only && !named(&s.name))
            .cloned()
            .collect();
        if self.groups.is_empty() {
            // Stable: required fields first, then the schema's order (`name` leading).
            rest.sort_by_key(|s| (!s.required, s.name != "name"));
        }
        let rest_title = if self.groups.is_empty() {
            "Settings"
        } else {
            "Other settings"
        };
        sections.push(Section {
            title: rest_title.to_string(),
            fields: rest,
        });
        sections.push(Section {
            title: "Details".to_string(),
            fields: specs.iter().filter(|s| s.read_only).cloned().collect(),
        });
        sections.retain(|s| !s.fields.is_empty());
        sections
    }
}

/// A titled group of field specs, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub fields: Vec<FieldSpec>,
}

/// Every field spec of the sections, in order.
pub fn all_fields(sections: &[Section]) -> impl Iterator<Item = &FieldSpec> + Clone {
    sections.iter().flat_map(|s| s.fields.iter())
}
