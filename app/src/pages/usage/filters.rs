//! The report's parameters: tenant (for those who may choose), room, bucket length and days,
//! sent as the URL's query (`GET`), and the CSV export of the report shown.

use crate::api::usage::{Period, UsageReport};
use crate::ui::{Button, Grid, GridRow, LinkButton, Row, SelectField, TextField};
use leptos::prelude::*;
use leptos_router::components::Form;

#[component]
pub fn Filters(
    /// The report shown (`None` when it failed: the fields start empty).
    report: Option<UsageReport>,
    /// The CSV download of the report the URL asks for.
    csv: String,
) -> impl IntoView {
    let tenants = report
        .as_ref()
        .map(|r| r.tenants.clone())
        .unwrap_or_default();
    let fixed = report.as_ref().is_some_and(|r| r.tenant_fixed);
    let tenant = report
        .as_ref()
        .and_then(|r| r.tenant.clone())
        .unwrap_or_default();
    let room = report
        .as_ref()
        .and_then(|r| r.room.clone())
        .unwrap_or_default();
    let period = report.as_ref().map(|r| r.period).unwrap_or_default();
    let from = report.as_ref().map(|r| r.from.clone()).unwrap_or_default();
    let to = report.as_ref().map(|r| r.to.clone()).unwrap_or_default();
    let tenant_field = (!fixed).then(|| {
        view! {
            <SelectField id="usage-tenant" name="tenant" label="Tenant">
                <option value="" selected=tenant.is_empty()>"All tenants"</option>
                {tenants.into_iter().map(|tag| {
                    let selected = tag == tenant;
                    view! { <option value=tag.clone() selected=selected>{tag.clone()}</option> }
                }).collect_view()}
            </SelectField>
        }
    });
    view! {
        <Form method="GET" action="" attr:aria-label="Usage report">
            <Grid columns=5 id="usage-filters">
                {tenant_field}
                <TextField id="usage-room" name="room" label="Room (exact name)" value=Signal::stored(room) />
                <SelectField id="usage-period" name="period" label="By">
                    {Period::ALL.into_iter().map(|p| view! {
                        <option value=p.as_str() selected=p == period>{p.label()}</option>
                    }).collect_view()}
                </SelectField>
                <TextField id="usage-from" name="from" input_type="date" label="From (UTC)" value=Signal::stored(from) />
                <TextField id="usage-to" name="to" input_type="date" label="To (UTC)" value=Signal::stored(to) />
                <GridRow>
                    <Row>
                        <Button submit=true>"Show"</Button>
                        <LinkButton href=csv external=true>"Export CSV"</LinkButton>
                    </Row>
                </GridRow>
            </Grid>
        </Form>
    }
}
