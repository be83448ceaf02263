//! The licences page's offline section: activating or returning a licence for a Management
//! Node without internet access, in four numbered steps, with the pending requests and their
//! request documents. The browser talks to the portal only: documents come from and go to the
//! node through the server.

use crate::api::AppError;
use crate::api::licence_offline::{
    CompleteOfflineRequest, LicenceRequest, MAX_RESPONSE_DOCUMENT_BYTES, RequestOfflineActivation,
    document_file_name, document_href,
};
use crate::ui::{
    Button, Code, DataTable, Empty, ErrorNotice, FormActions, Grid, GridWide, Hint, LinkButton,
    Section, SelectField, Step, StepList, SuccessNotice, TextArea, TextField, Variant,
    VisuallyHidden, action_error,
};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Why a chosen file cannot be the response document, before it is read.
fn check_file_size(bytes: f64) -> Result<(), String> {
    if bytes > MAX_RESPONSE_DOCUMENT_BYTES as f64 {
        Err(format!(
            "That file has {} KB; a licence response document is at most {} KB. Choose the file Pexip's licensing portal gave for this request.",
            (bytes / 1024.0).ceil(),
            MAX_RESPONSE_DOCUMENT_BYTES / 1024
        ))
    } else {
        Ok(())
    }
}

#[component]
pub fn OfflineLicensing(
    requests: Resource<Result<Vec<LicenceRequest>, AppError>>,
    activate: ServerAction<RequestOfflineActivation>,
    complete: ServerAction<CompleteOfflineRequest>,
) -> impl IntoView {
    // The response document: read from a chosen file, or pasted.
    let response = RwSignal::new(String::new());
    let file_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if matches!(complete.value().get(), Some(Ok(()))) {
            response.set(String::new());
        }
    });
    let on_file = move |event: leptos::ev::Event| {
        file_error.set(None);
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        if let Err(message) = check_file_size(file.size()) {
            file_error.set(Some(message));
            input.set_value("");
            return;
        }
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => response.set(text.as_string().unwrap_or_default()),
                Err(_) => file_error.set(Some(
                    "The file could not be read as text; choose the response document again."
                        .into(),
                )),
            }
        });
    };

    view! {
        <Section heading_id="offline-heading" title="Offline activation and return">
            <Hint>"For a Management Node that cannot reach Pexip's licence server: the node writes a request document, Pexip's licensing portal answers it with a response document, and the response completes the activation or return."</Hint>
            <StepList id="offline-steps">
                <Step id="offline-step-request" title="Ask the node for a request document">
                    <Hint>"To activate a licence, enter its entitlement key here. To return one, choose “Return offline” beside it under Installed licences: it stays installed until step 4."</Hint>
                    <ActionForm action=activate>
                        <Grid columns=3>
                            <GridWide>
                                <TextField id="offline-entitlement" name="entitlement_id" label="Entitlement key to activate offline" required=true
                                    placeholder="XXXX-XXXX-XXXX-XXXX" autocomplete="off" />
                            </GridWide>
                            <FormActions>
                                <Button submit=true busy=activate.pending() busy_label="Requesting…">"Request offline activation"</Button>
                            </FormActions>
                        </Grid>
                    </ActionForm>
                    {move || activate.value().get().and_then(Result::ok).map(|sequence| view! {
                        <SuccessNotice>{format!("Request {sequence} is pending: download its request document (step 2).")}</SuccessNotice>
                    })}
                    {action_error(activate)}
                </Step>
                <Step id="offline-step-download" title="Download the request document">
                    <Transition fallback=|| view! { <Hint>"Loading the pending requests…"</Hint> }>
                        {move || requests.get().map(|result| match result {
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            Ok(pending) if pending.is_empty() => view! {
                                <Empty id="licence-requests-empty">"No offline requests are pending. Start with step 1."</Empty>
                            }.into_any(),
                            Ok(pending) => view! { <PendingTable pending /> }.into_any(),
                        })}
                    </Transition>
                </Step>
                <Step id="offline-step-portal" title="Take it to Pexip's licensing portal">
                    <Hint>"On a computer with internet access, sign in to Pexip's licensing portal, upload the request document there, and download the response document it gives back. Bring that file to this page."</Hint>
                </Step>
                <Step id="offline-step-complete" title="Upload the response document">
                    <ActionForm action=complete>
                        <Grid columns=3>
                            <GridWide>
                                <Transition fallback=|| view! { <Hint>"Loading the pending requests…"</Hint> }>
                                    {move || requests.get().and_then(Result::ok).map(|pending| view! {
                                        <SelectField id="offline-request" name="sequence_number" label="Pending request" required=true>
                                            {pending.into_iter().map(|request| {
                                                let shown = format!("{} — {} of {}", request.sequence_number, request.action, request.reference);
                                                view! { <option value=request.sequence_number>{shown}</option> }
                                            }).collect_view()}
                                        </SelectField>
                                    })}
                                </Transition>
                            </GridWide>
                            <GridWide>
                                <TextField id="offline-response-file" label="Response document file" input_type="file"
                                    error=file_error on_change=on_file
                                    help="Choosing the file puts its text below." />
                            </GridWide>
                            <GridWide>
                                <TextArea id="offline-response" name="response" label="Response document" required=true
                                    rows=6 monospace=true value=response on_input=move |text| response.set(text)
                                    help="The text of the response document, from the file above or pasted." />
                            </GridWide>
                            <FormActions>
                                <Button submit=true busy=complete.pending() busy_label="Uploading…">"Upload response document"</Button>
                            </FormActions>
                        </Grid>
                    </ActionForm>
                    {move || complete.value().get().and_then(Result::ok).map(|_| view! {
                        <SuccessNotice>"The response document was applied: the licence is installed or returned (see Installed licences)."</SuccessNotice>
                    })}
                    {action_error(complete)}
                </Step>
            </StepList>
        </Section>
    }
}

/// The pending requests with their state and the download of each request document.
#[component]
fn PendingTable(pending: Vec<LicenceRequest>) -> impl IntoView {
    view! {
        <DataTable id="licence-requests">
            <thead><tr>
                <th scope="col">"Request"</th>
                <th scope="col">"Kind"</th>
                <th scope="col">"For"</th>
                <th scope="col">"State"</th>
                <th scope="col"><VisuallyHidden>"Actions"</VisuallyHidden></th>
            </tr></thead>
            <tbody>
                {pending.into_iter().map(|request| {
                    let number = request.sequence_number.clone();
                    view! {
                        <tr>
                            <td>{request.sequence_number.clone()}</td>
                            <td>{request.action.clone()}</td>
                            <td><Code>{request.reference.clone()}</Code></td>
                            <td>{request.state.clone()}</td>
                            <td>
                                <LinkButton variant=Variant::Secondary href=document_href(&number)
                                    download=document_file_name(&number)
                                    aria_label=format!("Download the request document of request {number}")>
                                    "Download request document"
                                </LinkButton>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </DataTable>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_files_are_explained() {
        assert_eq!(check_file_size(MAX_RESPONSE_DOCUMENT_BYTES as f64), Ok(()));
        let message = check_file_size(3.0 * 1024.0 * 1024.0).unwrap_err();
        assert!(message.contains("3072 KB"), "{message}");
        assert!(message.contains("at most 64 KB"), "{message}");
    }
}
