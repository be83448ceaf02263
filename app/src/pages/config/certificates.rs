//! Importing TLS and CA certificates (admins): a PEM file of certificates and private keys sent
//! with progress to `POST /api/certificates/import` (the node's `platform/certificates_import`),
//! and what the node holds afterwards that it did not before.

use crate::api::AppError;
use crate::api::uploads::{self, size_text, upload_limits};
use crate::ui::{
    BulletList, Button, ErrorNotice, FileField, Section, Stack, SuccessNotice, TextField,
};
use leptos::html::Input;
use leptos::prelude::*;
use serde::Deserialize;

/// One certificate the import added (the server's `ImportedCertificate`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Imported {
    kind: String,
    subject_name: String,
    issuer_name: String,
    end_date: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Answer {
    imported: Vec<Imported>,
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "tls_certificate" => "TLS certificate",
        _ => "Trusted CA certificate",
    }
}

#[component]
pub fn CertificatesImport() -> impl IntoView {
    let limits = Resource::new(|| (), |_| upload_limits());
    let limit = Signal::derive(move || {
        limits
            .get()
            .and_then(Result::ok)
            .map(|l| size_text(l.max_bundle_bytes))
    });
    let input = NodeRef::<Input>::new();
    let passphrase = RwSignal::new(String::new());
    let progress = RwSignal::new(None::<f64>);
    let outcome = RwSignal::new(None::<Result<Vec<Imported>, AppError>>);
    let start = Callback::new(move |()| {
        outcome.set(None);
        let Some(element) = input.get_untracked() else {
            return;
        };
        let done = Callback::new(move |result: Result<String, AppError>| {
            let parsed = result.and_then(|body| {
                serde_json::from_str::<Answer>(&body)
                    .map(|answer| answer.imported)
                    .map_err(|e| AppError::Request(format!("unexpected answer: {e}")))
            });
            outcome.set(Some(parsed));
        });
        let texts = [("private_key_passphrase", passphrase.get_untracked())];
        if let Err(message) = uploads::send(
            "/api/certificates/import",
            &texts,
            "bundle",
            &element,
            progress,
            done,
        ) {
            outcome.set(Some(Err(AppError::Request(message))));
        }
    });
    let field_error = move |field: &'static str| {
        Signal::derive(move || match outcome.get() {
            Some(Err(error)) => {
                let messages = error.field(field);
                (!messages.is_empty()).then(|| messages.join(" "))
            }
            _ => None,
        })
    };
    view! {
        <Section heading_id="certificates-heading" title="Import certificates" narrow=true>
            <Stack>
                <FileField id="certificates-bundle" label="Certificates and keys (PEM)" node_ref=input
                    accept=".pem,.crt,.cer,.key,.txt" limit required=true
                    help="A server certificate with its private key becomes a TLS certificate; certificates without a key become trusted CA certificates."
                    error=field_error("bundle") progress=Signal::derive(move || progress.get()) />
                <TextField id="certificates-passphrase" label="Passphrase of an encrypted private key"
                    input_type="password" autocomplete="off" value=Signal::derive(move || passphrase.get())
                    on_input=Callback::new(move |text| passphrase.set(text))
                    error=field_error("private_key_passphrase") />
                <div>
                    <Button on_click=start busy=Signal::derive(move || progress.get().is_some())>"Import"</Button>
                </div>
                {move || outcome.get().map(|result| match result {
                    Ok(imported) if imported.is_empty() => view! {
                        <SuccessNotice>"Imported; the node already held every certificate of the file."</SuccessNotice>
                    }.into_any(),
                    Ok(imported) => view! {
                        <SuccessNotice>{format!("Imported {} certificate(s):", imported.len())}</SuccessNotice>
                        <BulletList id="certificates-imported">
                            {imported.into_iter().map(|c| view! {
                                <li>{format!("{}: {} (issued by {}, valid until {})",
                                    kind_label(&c.kind), c.subject_name, c.issuer_name, c.end_date)}</li>
                            }).collect_view()}
                        </BulletList>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
            </Stack>
        </Section>
    }
}
