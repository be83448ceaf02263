//! Dialling someone into a conference (call control); the new participant shows through the
//! live feed.

use crate::api::live::DialOut;
use crate::live_stream::LiveFeed;
use crate::ui::{
    Button, Grid, GridRow, Hint, Section, SelectField, SuccessNotice, TextField, action_error,
};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn DialForm(dial: ServerAction<DialOut>, feed: LiveFeed) -> impl IntoView {
    let locations = move || feed.state.with(|s| s.locations.clone());
    view! {
        <Section heading_id="dial-heading" title="Dial out">
            <Hint>"Call someone into a conference: the node places the call from the chosen location."</Hint>
            <ActionForm action=dial>
                <Grid columns=3>
                    <TextField id="dial-alias" name="conference_alias" label="Conference alias" required=true
                        placeholder="meet.alice@example.com" />
                    <TextField id="dial-destination" name="destination" label="Destination" required=true
                        placeholder="sip:room@example.com" />
                    <TextField id="dial-name" name="remote_display_name" label="Display name (optional)" />
                    <SelectField id="dial-role" name="role" label="Role">
                        <option value="guest">"guest"</option>
                        <option value="chair">"host (chair)"</option>
                    </SelectField>
                    <SelectField id="dial-protocol" name="protocol" label="Protocol">
                        <option value="sip">"SIP"</option>
                        <option value="h323">"H.323"</option>
                        <option value="mssip">"Skype for Business (MS-SIP)"</option>
                        <option value="rtmp">"RTMP (streaming)"</option>
                    </SelectField>
                    <SelectField id="dial-location" name="system_location" label="From location" required=true>
                        <For each=locations key=|name| name.clone() let:name>
                            <option value=name.clone()>{name.clone()}</option>
                        </For>
                    </SelectField>
                    <GridRow>
                        <Button submit=true busy=dial.pending() busy_label="Dialling…">"Dial"</Button>
                        {move || dial.value().get().and_then(Result::ok).map(|_| view! {
                            <SuccessNotice>"Call placed."</SuccessNotice>
                        })}
                        {action_error(dial)}
                    </GridRow>
                </Grid>
            </ActionForm>
        </Section>
    }
}
