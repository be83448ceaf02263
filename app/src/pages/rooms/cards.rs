//! End users' rooms as cards (`/rooms` for the `user` role): one card per room with how to
//! join it (web app link and its QR code, each alias as a dial string with its SIP and H.323
//! forms, copy buttons), a ready-to-paste invitation, the PINs and guest access changed in
//! place (`pin_form.rs`), and "Email me my room details".

use super::email::EmailRoomButton;
use super::list::{Choices, Fetched};
use super::pin_form::PinForm;
use crate::api::room_choices::{PinField, RoomChoices};
use crate::api::room_join::{RoomCard, RoomCardList};
use crate::forms::labels::field_label;
use crate::layout::PendingNote;
use crate::ui::{
    Badge, BreakAnywhere, CardGrid, CardSection, CardTitle, CheckboxField, CopyButton, Copyable,
    Empty, ErrorNotice, Facts, GridCard, Hint, Loading, Preformatted, QrImage, Row, Space, Stack,
    Strong, TextLink, Tile, TileList,
};
use bff::join::DialString;
use leptos::prelude::*;
use serde_json::Value;

/// The data of the cards, made by the rooms page (outside its boundaries, so that the server's
/// in-order render fetches them once).
#[derive(Clone, Copy)]
pub struct CardsData {
    pub cards: Fetched<RoomCardList>,
    /// The type labels and the PIN fields.
    pub choices: Choices,
}

/// The cards of the signed-in person's rooms.
#[component]
pub fn RoomCardsList(data: CardsData) -> impl IntoView {
    let CardsData { cards, choices } = data;
    view! {
        <PendingNote what="your rooms" />
        <Transition fallback=|| view! { <Loading what="your rooms" /> }>
            {move || match (cards.get().flatten(), choices.get()) {
                (Some(Err(error)), _) | (_, Some(Err(error))) => view! { <ErrorNotice error /> }.into_any(),
                (Some(Ok(cards)), Some(Ok(choices))) => view! { <Cards cards choices /> }.into_any(),
                _ => ().into_any(),
            }}
        </Transition>
    }
}

#[component]
fn Cards(cards: RoomCardList, choices: RoomChoices) -> impl IntoView {
    if cards.cards.is_empty() {
        return view! {
            <Empty>"You have no meeting rooms yet. Rooms whose owner's email address is yours appear here; ask your administrator for one."</Empty>
        }
        .into_any();
    }
    let shown = cards.cards.len() as u64;
    let more = (cards.total > shown).then(|| {
        view! {
            <Hint>{format!("Showing {shown} of your {} rooms, by name.", cards.total)}</Hint>
        }
    });
    // Marks the list once the wasm has taken it over (effects run only in the browser, after
    // this part of the page is hydrated: it may come later than the document's).
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    view! {
        <CardGrid id="room-cards" attr:data-hydrated=move || live.get().to_string()>
            {cards.cards.into_iter().map(|card| {
                let kind = type_label(&choices, &text(&card.room, "service_type"));
                let pin_fields = choices.pin_fields.clone();
                view! { <RoomCardView card kind pin_fields /> }
            }).collect_view()}
        </CardGrid>
        {more}
    }
    .into_any()
}

fn text(room: &Value, field: &str) -> String {
    room.get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The readable label of a room's service type (never the raw value).
fn type_label(choices: &RoomChoices, kind: &str) -> String {
    match choices.type_label(kind) {
        Some(label) if label != kind => label.to_string(),
        // An unknown value, or one the schema gives no label: a readable form of it.
        _ => field_label(kind),
    }
}

#[component]
fn RoomCardView(card: RoomCard, kind: String, pin_fields: Vec<PinField>) -> impl IntoView {
    let RoomCard { room, join } = card;
    let id = room.get("id").and_then(Value::as_u64).unwrap_or_default();
    let name = text(&room, "name");
    let description = text(&room, "description");
    // The card's own id is where the PIN form's post (without the wasm) sends the browser back.
    let card_id = format!("card-{id}");
    let heading_id = format!("{card_id}-name");
    let labelled_by = heading_id.clone();
    let room = RwSignal::new(room);
    let link = join.web_link.clone();
    view! {
        <GridCard labelled_by attr:id=card_id attr:data-room-card=id.to_string()>
            <CardTitle id=heading_id title=name.clone()>
                <Badge attr:data-room-type="">{kind}</Badge>
            </CardTitle>
            {(!description.is_empty()).then(|| view! { <Hint>{description}</Hint> })}
            <JoinSection id name=name.clone() join />
            <Invitation id name link room />
            <PinForm id fields=pin_fields room />
            <Row spread=true>
                <EmailRoomButton id label="Email me my room details" />
                <TextLink href=format!("/rooms/{id}")>"All settings"</TextLink>
            </Row>
        </GridCard>
    }
}

#[component]
fn JoinSection(id: u64, name: String, join: bff::join::JoinDetails) -> impl IntoView {
    let prefix = format!("card-{id}");
    let web = join.web_link.map(|link| {
        let link_id = format!("{prefix}-link");
        let qr = join.qr.map(|qr| {
            let label = format!("QR code of the join link of {name}");
            view! { <QrImage qr label /> }
        });
        view! {
            <Stack space=Space::Small>
                <Strong block=true>"From a browser or phone"</Strong>
                <Copyable id=link_id text=link what="the join link" link=true />
                {qr}
            </Stack>
        }
    });
    let aliases = if join.aliases.is_empty() {
        view! { <Hint>"This room has no aliases yet, so it cannot be dialled: ask your administrator."</Hint> }.into_any()
    } else {
        view! {
            <Stack space=Space::Small>
                <Strong block=true>"From a video system, dial"</Strong>
                <TileList>
                    {join.aliases.into_iter().enumerate().map(|(n, dial)| {
                        view! { <AliasLine id n dial /> }
                    }).collect_view()}
                </TileList>
            </Stack>
        }
        .into_any()
    };
    view! {
        <CardSection heading_id=format!("{prefix}-join") title="How to join">
            {web}
            {aliases}
        </CardSection>
    }
}

#[component]
fn AliasLine(id: u64, n: usize, dial: DialString) -> impl IntoView {
    let value_id = format!("card-{id}-alias-{n}");
    let DialString {
        alias,
        description,
        sip,
        h323,
    } = dial;
    let key = alias.clone();
    view! {
        <Tile attr:data-alias=key>
            <Copyable id=value_id text=alias what="the alias" />
            {(!description.is_empty()).then(|| view! { <Hint>{description}</Hint> })}
            <Facts>
                {sip.map(|sip| view! { <dt>"SIP"</dt><dd data-sip=""><BreakAnywhere>{sip}</BreakAnywhere></dd> })}
                <dt>"H.323"</dt><dd data-h323=""><BreakAnywhere>{h323}</BreakAnywhere></dd>
            </Facts>
        </Tile>
    }
}

/// The invitation text: the room, its link and dial strings, and what to do about PINs. The
/// host PIN is printed only when `include_host_pin`.
pub fn invitation(
    name: &str,
    link: Option<&str>,
    aliases: &[String],
    room: &Value,
    include_host_pin: bool,
) -> String {
    let mut lines = vec![format!("Please join my meeting in “{name}”.")];
    if let Some(link) = link {
        lines.push(String::new());
        lines.push("From a browser or phone:".into());
        lines.push(link.to_string());
    }
    if !aliases.is_empty() {
        lines.push(String::new());
        lines.push("From a video system, dial:".into());
        lines.extend(aliases.iter().map(|alias| format!("  {alias}")));
    }
    let pin = text(room, "pin");
    let guest_pin = text(room, "guest_pin");
    let guests = room.get("allow_guests").and_then(Value::as_bool) == Some(true);
    lines.push(String::new());
    match (pin.is_empty(), guests) {
        (true, _) => lines.push("No PIN is needed to join.".into()),
        (false, true) if !guest_pin.is_empty() => {
            lines.push(format!("Guests: enter the PIN {guest_pin} when asked."))
        }
        (false, true) => lines.push("Guests: when asked for a PIN, press #.".into()),
        (false, false) if !include_host_pin => {
            lines.push("A PIN is needed to join: ask me for it.".into())
        }
        (false, false) => {}
    }
    if !pin.is_empty() && include_host_pin {
        lines.push(format!("Host PIN: {pin}"));
    }
    lines.join("\n")
}

#[component]
fn Invitation(id: u64, name: String, link: Option<String>, room: RwSignal<Value>) -> impl IntoView {
    let aliases: Vec<String> = room.with_untracked(|r| {
        r.get("aliases")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.get("alias").and_then(Value::as_str))
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect()
    });
    let include_pin = RwSignal::new(false);
    let has_pin = move || room.with(|r| !text(r, "pin").is_empty());
    let text_id = format!("card-{id}-invitation");
    let copy_target = text_id.clone();
    let check_id = format!("card-{id}-include-pin");
    let invitation_text = Signal::derive(move || {
        room.with(|r| invitation(&name, link.as_deref(), &aliases, r, include_pin.get()))
    });
    view! {
        <CardSection heading_id=format!("{text_id}-heading") title="Invitation">
            <Preformatted id=text_id>{move || invitation_text.get()}</Preformatted>
            <Row spread=true>
                {move || has_pin().then(|| view! {
                    <CheckboxField id=check_id.clone() label="Include the host PIN" checked=include_pin />
                })}
                <CopyButton text=invitation_text target=copy_target what="the invitation" />
            </Row>
        </CardSection>
    }
}

#[cfg(test)]
mod tests {
    use super::invitation;
    use serde_json::json;

    fn aliases() -> Vec<String> {
        vec!["meet.alice@example.com".into(), "81000".into()]
    }

    #[test]
    fn the_invitation_leaves_the_host_pin_out_unless_asked() {
        let room = json!({"pin": "1234", "allow_guests": true, "guest_pin": "5678"});
        let text = invitation(
            "Alice's room",
            Some("https://meet.example.com/webapp/m/meet.alice@example.com"),
            &aliases(),
            &room,
            false,
        );
        assert!(text.starts_with("Please join my meeting in “Alice's room”."));
        assert!(text.contains("\nhttps://meet.example.com/webapp/m/meet.alice@example.com\n"));
        assert!(text.contains("\n  meet.alice@example.com\n  81000\n"));
        assert!(text.contains("Guests: enter the PIN 5678 when asked."));
        assert!(!text.contains("1234"));
        let with_pin = invitation("Alice's room", None, &aliases(), &room, true);
        assert!(with_pin.ends_with("Host PIN: 1234"));
        assert!(!with_pin.contains("browser"));
    }

    #[test]
    fn pin_notes_follow_the_room() {
        let note = |room: serde_json::Value| invitation("R", None, &[], &room, false);
        assert!(note(json!({"pin": ""})).ends_with("No PIN is needed to join."));
        assert!(
            note(json!({"pin": "1234", "allow_guests": true, "guest_pin": ""}))
                .ends_with("Guests: when asked for a PIN, press #.")
        );
        let private = note(json!({"pin": "1234", "allow_guests": false}));
        assert!(private.ends_with("A PIN is needed to join: ask me for it."));
        assert!(!private.contains("1234"));
    }
}
