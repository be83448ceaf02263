//! The audit trail: who changed what, when, from where, and how it ended.

use crate::api::audit::list_audit;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

const PAGE: u32 = 50;
const INPUT: &str = "mt-1 w-full rounded border border-slate-300 px-3 py-2";

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS UTC`.
fn format_time(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let page = move || param("page").parse::<u32>().unwrap_or(0);
    let events = Resource::new(
        move || (param("user"), param("action"), page()),
        |(user, action, page)| list_audit(user, action, PAGE, page * PAGE),
    );

    view! {
        <Title text="Audit" />
        <h1 class="text-2xl font-semibold">"Audit"</h1>
        <p class="mt-2 text-slate-600">"Every change made through the portal, newest first. Secret values are masked."</p>
        <Form method="GET" action="" attr:class="mt-6 grid gap-4 sm:grid-cols-3">
            <div><label for="audit-user" class="text-sm font-medium">"User"</label>
                <input id="audit-user" name="user" prop:value=move || param("user") class=INPUT /></div>
            <div><label for="audit-action" class="text-sm font-medium">"Action starts with"</label>
                <input id="audit-action" name="action" placeholder="room." prop:value=move || param("action") class=INPUT /></div>
            <div class="flex items-end"><button type="submit" class="rounded bg-indigo-600 px-4 py-2 font-medium text-white">"Filter"</button></div>
        </Form>
        <Transition fallback=|| view! { <p class="mt-6">"Loading…"</p> }>
            {move || events.get().map(|result| match result {
                Err(error) => view! { <p role="alert" class="mt-6 text-red-700">{error.to_string()}</p> }.into_any(),
                Ok(found) if found.events.is_empty() => view! { <p class="mt-6 text-slate-600">"No changes match."</p> }.into_any(),
                Ok(found) => view! {
                    <p class="mt-6 text-sm text-slate-600">{format!("{} changes", found.total)}</p>
                    <table id="audit-events" class="mt-2 w-full text-left text-sm">
                        <thead><tr class="border-b border-slate-200">
                            <th scope="col" class="py-2">"When"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"Action"</th>
                            <th scope="col">"Object"</th>
                            <th scope="col">"Changes"</th>
                            <th scope="col">"Result"</th>
                            <th scope="col">"From"</th>
                        </tr></thead>
                        <tbody>
                            {found.events.into_iter().map(|event| view! {
                                <tr class="border-b border-slate-100 align-top">
                                    <td class="py-2 whitespace-nowrap">{format_time(event.at)}</td>
                                    <td>{format!("{} ({}{})", event.username, event.role, event.tenant.map(|t| format!(", {t}")).unwrap_or_default())}</td>
                                    <td>{event.action}</td>
                                    <td class="break-all">{event.resource_uri.unwrap_or_default()}</td>
                                    <td><code class="break-all text-xs">{event.changes.to_string()}</code></td>
                                    <td>{event.result}</td>
                                    <td>{event.client_addr.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn times_are_utc_calendar_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_time(1_795_000_000_000), "2026-11-18 11:06:40 UTC");
        assert_eq!(format_time(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }
}
