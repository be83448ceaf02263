//! `/config`: the resources the node serves, in its order.

use super::certificates::CertificatesImport;
use super::resource_title;
use crate::api::config::config_resources;
use crate::ui::{
    ErrorNotice, Hint, LinkGrid, LinkGridItem, Loading, Narrow, PageHeader, TextField,
};
use leptos::prelude::*;

#[component]
pub fn ConfigIndexPage() -> impl IntoView {
    let resources = Resource::new(|| (), |_| config_resources());
    let (filter, set_filter) = signal(String::new());
    view! {
        <PageHeader title="Configuration" intro="Every configuration resource the Management Node serves. Forms are generated from the node's own schemas." />
        <Narrow>
            <TextField id="config-filter" label="Filter resources" input_type="search"
                on_input=move |text: String| set_filter.set(text.to_lowercase()) />
        </Narrow>
        <Transition fallback=|| view! { <Loading what="resources" /> }>
            {move || resources.get().map(|result| match result {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(names) => {
                    let count = names.len();
                    view! {
                        <Hint>{format!("{count} resources")}</Hint>
                        <LinkGrid id="config-resources">
                            {names.into_iter().map(|name| {
                                let title = resource_title(&name);
                                let haystack = format!("{name} {}", title.to_lowercase());
                                view! {
                                    <LinkGridItem href=format!("/config/{name}") title detail=name.clone()
                                        hidden=Signal::derive(move || !haystack.contains(&filter.get())) />
                                }
                            }).collect_view()}
                        </LinkGrid>
                    }.into_any()
                }
            })}
        </Transition>
        <CertificatesImport />
    }
}
