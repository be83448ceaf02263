//! The sign-in page. Works without JavaScript (a plain form POST to the server function) and
//! with it (the same form, submitted by the wasm without a page load). Offers the single
//! sign-on providers as links, names the directory when usernames are also checked there, and
//! in demo mode lists the sample people.

use crate::api::auth::{DemoSignIn, Login, SignInChoices, sign_in_options, sso_error_message};
use crate::pages::rooms::query::encode;
use crate::ui::{
    Badge, Button, Card, Code, ErrorNotice, Hint, LinkButton, PageHeader, PasswordField, Row,
    Section, SignInFrame, Space, Stack, Strong, SubText, TextField, Variant,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
            .or_else(|| {
                query
                    .read()
                    .get("sso_error")
                    .map(|code| sso_error_message(&code).to_string())
            })
    };
    let choices = Resource::new(|| (), |_| sign_in_options());

    view! {
        <SignInFrame>
            <Card raised=true>
                <ActionForm action=login>
                    <PageHeader title="Sign in to Pexip Portal" tab_title="Sign in" />
                    {move || error().map(|message| view! { <ErrorNotice id="login-error" message /> })}
                    <input type="hidden" name="next" value=next />
                    <Stack>
                        <TextField id="username" name="username" label="Username" autocomplete="username"
                            required=true also_described_by="directory-hint"
                            value=username on_input=move |text| username.set(text) />
                        <Suspense>
                            {move || choices.get().and_then(Result::ok).and_then(|c| c.directory).map(|name| view! {
                                <Hint id="directory-hint">{format!("Your {name} username, or a portal account.")}</Hint>
                            })}
                        </Suspense>
                        <PasswordField id="password" name="password" label="Password"
                            autocomplete="current-password" required=true value=password />
                        <Button submit=true busy=login.pending() busy_label="Signing in…">"Sign in"</Button>
                    </Stack>
                </ActionForm>
                <Suspense>
                    {move || choices.get().and_then(Result::ok).map(|c| view! {
                        <SingleSignOn choices=c next=Signal::derive(next) />
                    })}
                </Suspense>
            </Card>
            <Suspense>
                {move || choices.get().and_then(Result::ok).filter(|c| !c.demo_people.is_empty()).map(|c| view! {
                    <DemoPeople people=c.demo_people password=c.demo_password.unwrap_or_default()
                        username password_field=password />
                })}
            </Suspense>
        </SignInFrame>
    }
}

/// "Sign in with <provider>" links (full page loads: the provider is another site).
#[component]
fn SingleSignOn(choices: SignInChoices, next: Signal<String>) -> impl IntoView {
    if choices.providers.is_empty() {
        return None;
    }
    Some(view! {
        <Stack space=Space::Large>
            <Hint>"Or use your organisation's account"</Hint>
            <Stack space=Space::Small>
                {choices.providers.into_iter().map(|provider| {
                    let start = format!("/auth/oidc/{}/start", provider.id);
                    let name = format!("Sign in with {}", provider.name);
                    let id = provider.id.clone();
                    move || {
                        let href = format!("{start}?next={}", encode(&next.get()));
                        let (label, id) = (name.clone(), id.clone());
                        view! {
                            <LinkButton href external=true attr:rel="external" attr:data-provider=id>
                                {label}
                            </LinkButton>
                        }
                    }
                }).collect_view()}
            </Stack>
        </Stack>
    })
}

/// Demo mode: the sample people, one of each role, with a button that fills in the form.
#[component]
fn DemoPeople(
    people: Vec<DemoSignIn>,
    password: String,
    username: RwSignal<String>,
    password_field: RwSignal<String>,
) -> impl IntoView {
    let shown = password.clone();
    view! {
        <Section heading_id="demo-people-heading" title="Demo people" boxed=true>
            <Hint>
                "This portal runs against the built-in simulator. Try any role: every demo person's password is "
                <Code>{shown}</Code>"."
            </Hint>
            <Stack space=Space::Small id="demo-people">
                {people.into_iter().map(|person| {
                    let name = person.username.clone();
                    let secret = password.clone();
                    let use_label = format!("Use {}", person.username);
                    view! {
                        <Row spread=true>
                            <span>
                                <Strong>{person.username.clone()}</Strong>
                                <Badge>{person.role.to_string()}</Badge>
                                <SubText>{person.description}</SubText>
                            </span>
                            <Button variant=Variant::Secondary attr:aria-label=use_label
                                on_click=move |()| {
                                    username.set(name.clone());
                                    password_field.set(secret.clone());
                                }>
                                "Use"
                            </Button>
                        </Row>
                    }
                }).collect_view()}
            </Stack>
        </Section>
    }
}
