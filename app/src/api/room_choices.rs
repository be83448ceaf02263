//! What the rooms page (`/rooms`) takes from the rooms' schema, worked out on the server: the
//! service types (to create, to filter by, and their readable labels), the sort choices, and the
//! PIN fields an end user's room card offers. The browser gets only these, so its first bundle
//! carries neither the schema model nor the form engine's readers of it; the room editor (a lazy
//! route) still asks for the whole schema ([`super::forms::form_schema`]).

use super::AppError;
use crate::forms::ShownField;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The rooms' resource.
#[cfg(feature = "ssr")]
const RESOURCE: &str = "conference";

/// The rooms page's choices, for the signed-in person (end users' schema holds only what they
/// may change, so their PIN fields are those they may change).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoomChoices {
    /// (value, readable label).
    pub types: Vec<(String, String)>,
    /// (value for `order`, readable text), both directions of each sortable field.
    pub orders: Vec<(String, String)>,
    /// The fields of [`super::rooms::PIN_FIELDS`] the person may change, in that order.
    pub pin_fields: Vec<PinField>,
}

/// A field of the room card's PIN form, labelled as the room editor labels it, with the schema's
/// explanation (the node's limits: digits, length).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinField {
    pub name: String,
    pub label: String,
    pub help: String,
}

impl ShownField for PinField {
    fn name(&self) -> &str {
        &self.name
    }

    fn label(&self) -> &str {
        &self.label
    }

    fn editable(&self) -> bool {
        true
    }
}

/// The service types a schema offers: (value, readable label).
pub fn service_types(schema: &pexip::Schema) -> Vec<(String, String)> {
    use crate::forms::labels::choice_label;
    schema
        .field("service_type")
        .and_then(|f| f.valid_choices.as_ref().map(|c| (f, c)))
        .map(|(field, choices)| {
            choices
                .iter()
                .filter_map(|c| {
                    c.as_str().map(|value| {
                        (
                            value.to_string(),
                            choice_label("service_type", c, &field.help_text),
                        )
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

impl RoomChoices {
    #[cfg(feature = "ssr")]
    pub fn from_schema(schema: &pexip::Schema) -> RoomChoices {
        use crate::forms::{FieldSpec, layout};
        let layout = layout::for_resource(RESOURCE);
        let orders = schema
            .ordering
            .iter()
            .flat_map(|field| {
                let label = layout.label(field);
                [
                    (field.clone(), format!("{label} (A→Z, low→high)")),
                    (format!("-{field}"), format!("{label} (Z→A, high→low)")),
                ]
            })
            .collect();
        let pin_fields = super::rooms::PIN_FIELDS
            .into_iter()
            .filter_map(|name| {
                schema
                    .field(name)
                    .map(|field| FieldSpec::new(name, field, layout))
            })
            .filter(|spec| !spec.read_only)
            .map(|spec| PinField {
                name: spec.name,
                label: spec.label,
                help: spec.help.trim().to_string(),
            })
            .collect();
        RoomChoices {
            types: service_types(schema),
            orders,
            pin_fields,
        }
    }

    /// The readable label of a service type the schema lists.
    pub fn type_label(&self, value: &str) -> Option<&str> {
        self.types
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, label)| label.as_str())
    }
}

/// The rooms page's choices for the signed-in person (from the cached schema: usually no request
/// upstream).
#[server(endpoint = "rooms/choices", input = Json, output = crate::api::JsonText)]
pub async fn load_room_choices() -> Result<RoomChoices, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let schema = portal.form_schema(&actor, RESOURCE).await?;
    Ok(RoomChoices::from_schema(&schema))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(fields: serde_json::Value) -> pexip::Schema {
        serde_json::from_value(json!({
            "fields": fields,
            "ordering": ["name"],
            "filtering": {},
            "allowed_detail_http_methods": [],
            "allowed_list_http_methods": [],
            "default_format": "application/json",
            "default_limit": 20,
        }))
        .expect("a schema")
    }

    #[test]
    fn the_choices_hold_types_orders_and_the_changeable_pin_fields() {
        let choices = RoomChoices::from_schema(&schema(json!({
            "service_type": {
                "type": "string", "nullable": false, "readonly": false, "blank": false,
                "help_text": "The type of conferencing service. Valid choices: conference (Virtual Meeting Room), lecture (Virtual Auditorium)",
                "valid_choices": ["conference", "lecture"],
            },
            "pin": {"type": "string", "nullable": false, "readonly": false, "blank": true,
                "help_text": " This optional field allows you to set a secure access code. Range: 4 to 20 digits. "},
            "guest_pin": {"type": "string", "nullable": false, "readonly": true, "blank": true,
                "help_text": "Guests' code."},
        })));
        assert_eq!(choices.types.len(), 2);
        assert_eq!(
            choices.type_label("conference"),
            Some("Virtual Meeting Room")
        );
        assert_eq!(choices.type_label("odd"), None);
        assert_eq!(choices.orders.len(), 2);
        assert!(choices.orders[0].1.ends_with("(A→Z, low→high)"));
        assert_eq!(choices.orders[1].0, "-name");
        // allow_guests is not in the schema, guest_pin is read-only: only the PIN is offered.
        let names: Vec<&str> = choices.pin_fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["pin"]);
        assert_eq!(choices.pin_fields[0].label, "Host PIN");
        assert!(
            choices.pin_fields[0]
                .help
                .starts_with("This optional field")
        );
    }
}
