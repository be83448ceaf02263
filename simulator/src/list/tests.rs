//! The list engine on small, hand-made data.

use std::borrow::Cow;
use std::collections::HashMap;

use pexip::Schema;
use serde_json::{Map, Value, json};

use super::*;

fn schema() -> Schema {
    serde_json::from_value(json!({
        "fields": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "start_time": {"type": "datetime"},
            "participant_limit": {"type": "integer", "nullable": true},
            "locked": {"type": "boolean"},
            "media_streams": {"type": "related", "related_type": "to_many"},
            "conference": {"type": "related", "related_type": "to_one"},
            "tag": {"type": "string"}
        },
        "filtering": {
            "id": 1, "name": 1, "start_time": 1, "participant_limit": 1, "locked": 1,
            "media_streams": 2, "conference": 2, "tag": ["exact", "in", "isnull"]
        },
        "ordering": ["name", "start_time", "participant_limit"]
    }))
    .unwrap()
}

fn objects() -> Vec<Map<String, Value>> {
    [
        json!({"id": 1, "name": "Alpha", "start_time": "2015-04-08T10:00:00.000000",
               "participant_limit": 10, "locked": false, "tag": "a",
               "media_streams": [{"rx_packet_loss": 0.1}, {"rx_packet_loss": 0.7}],
               "conference": "/api/admin/configuration/v1/conference/1/"}),
        json!({"id": 2, "name": "beta", "start_time": "2015-04-08T23:59:59.999999",
               "participant_limit": null, "locked": true, "tag": null,
               "media_streams": [{"rx_packet_loss": 0.2}],
               "conference": "/api/admin/configuration/v1/conference/2/"}),
        json!({"id": 3, "name": "Gamma (VMR)", "start_time": "2015-04-09T00:00:00.000000",
               "participant_limit": 5, "locked": false, "tag": "c",
               "media_streams": [],
               "conference": null}),
    ]
    .into_iter()
    .map(|v| v.as_object().unwrap().clone())
    .collect()
}

struct Conferences(HashMap<String, Map<String, Value>>);

impl Relations for Conferences {
    fn resolve(&self, uri: &str) -> Option<Cow<'_, Map<String, Value>>> {
        self.0.get(uri).map(Cow::Borrowed)
    }
}

fn conferences() -> Conferences {
    let mut m = HashMap::new();
    for (id, name) in [(1, "Board"), (2, "Sales")] {
        m.insert(
            format!("/api/admin/configuration/v1/conference/{id}/"),
            json!({"id": id, "name": name}).as_object().unwrap().clone(),
        );
    }
    Conferences(m)
}

fn ids(query: &str) -> Result<Vec<i64>, ListError> {
    let objs = objects();
    let q = ListQuery::parse(Some(query));
    let page = run(&q, &schema(), "/x/", &objs, &conferences())?;
    Ok(page
        .objects
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect())
}

#[test]
fn every_lookup() {
    let cases: &[(&str, &[i64])] = &[
        ("name=beta", &[2]),
        ("name__exact=Alpha", &[1]),
        ("name__iexact=ALPHA", &[1]),
        ("name__contains=a", &[1, 2, 3]),
        ("name__contains=VMR", &[3]),
        ("name__icontains=vmr", &[3]),
        ("name__startswith=A", &[1]),
        ("name__istartswith=b", &[2]),
        ("name__endswith=a", &[1, 2]),
        ("name__iendswith=(VMR)", &[3]),
        ("name__regex=^[A-Z]", &[1, 3]),
        ("name__iregex=^g.*vmr", &[3]),
        ("participant_limit__lt=10", &[3]),
        ("participant_limit__lte=10", &[1, 3]),
        ("participant_limit__gt=5", &[1]),
        ("participant_limit__gte=5", &[1, 3]),
        ("participant_limit=none", &[2]),
        ("id__in=1,3", &[1, 3]),
        ("tag__in=a,c", &[1, 3]),
        ("tag__isnull=true", &[2]),
        ("locked=true", &[2]),
        ("locked=False", &[1, 3]),
    ];
    for (query, want) in cases {
        assert_eq!(ids(query).unwrap(), *want, "{query}");
    }
}

#[test]
fn datetimes_compare_as_instants() {
    assert_eq!(
        ids("start_time__gte=2015-04-08T00:00:00&start_time__lt=2015-04-09T00:00:00").unwrap(),
        [1, 2]
    );
    assert_eq!(ids("start_time__gt=2015-04-08T23:59:59.9").unwrap(), [2, 3]);
    assert_eq!(ids("start_time__lt=2015-04-08").unwrap(), Vec::<i64>::new());
}

#[test]
fn across_relations_embedded_and_by_uri() {
    assert_eq!(ids("media_streams__rx_packet_loss__gte=0.5").unwrap(), [1]);
    assert_eq!(ids("media_streams__rx_packet_loss__lt=0.15").unwrap(), [1]);
    assert_eq!(ids("conference__name=Sales").unwrap(), [2]);
    assert_eq!(ids("conference__name__istartswith=bo").unwrap(), [1]);
    assert_eq!(
        ids("conference=/api/admin/configuration/v1/conference/2/").unwrap(),
        [2]
    );
    assert_eq!(ids("conference=1").unwrap(), [1]);
}

#[test]
fn refused_filters_name_the_problem() {
    let err = ids("description=x").unwrap_err();
    assert_eq!(err.0, "The 'description' field does not allow filtering.");
    let err = ids("tag__contains=a").unwrap_err();
    assert_eq!(
        err.0,
        "'contains' is not an allowed filter on the 'tag' field."
    );
    let err = ids("name__first__exact=a").unwrap_err();
    assert!(err.0.contains("more than one level deep"), "{}", err.0);
    let err = ids("participant_limit__gt=many").unwrap_err();
    assert!(err.0.contains("participant_limit__gt"), "{}", err.0);
    let err = ids("name__regex=(").unwrap_err();
    assert!(err.0.contains("regular expression"), "{}", err.0);
    let err = ids("start_time__gt=yesterday").unwrap_err();
    assert!(err.0.contains("date/time"), "{}", err.0);
}

#[test]
fn ordering_with_nulls_last_and_descending() {
    assert_eq!(ids("order_by=name").unwrap(), [1, 3, 2]);
    assert_eq!(ids("order_by=-start_time").unwrap(), [3, 2, 1]);
    assert_eq!(ids("order_by=participant_limit").unwrap(), [3, 1, 2]);
    assert_eq!(ids("order_by=-participant_limit").unwrap(), [2, 1, 3]);
    assert_eq!(
        ids("order_by=locked").unwrap_err().0,
        "The 'locked' field does not allow ordering."
    );
    assert_eq!(
        ids("order_by=nope").unwrap_err().0,
        "No matching 'nope' field for ordering on."
    );
}

#[test]
fn paging_and_meta() {
    let objs = objects();
    let q = ListQuery::parse(Some("limit=1&offset=1&order_by=name"));
    let page = run(&q, &schema(), "/x/", &objs, &NoRelations).unwrap();
    assert_eq!(page.objects[0]["id"], 3);
    assert_eq!(page.meta.total_count, 3);
    assert_eq!(
        page.meta.next.as_deref(),
        Some("/x/?order_by=name&limit=1&offset=2")
    );
    assert_eq!(
        page.meta.previous.as_deref(),
        Some("/x/?order_by=name&limit=1&offset=0")
    );
    let body = page.to_json(|o| Value::Object(o.clone()));
    assert_eq!(body["meta"]["limit"], 1);
    assert_eq!(body["objects"].as_array().unwrap().len(), 1);
}

#[test]
fn case_insensitive_lookups_beyond_ascii() {
    let objs: Vec<Map<String, Value>> = ["Møterom Ærø", "MEETING room", "plain"]
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"id": i, "name": n}).as_object().unwrap().clone())
        .collect();
    let found = |q: &str| -> Vec<i64> {
        let page = run(
            &ListQuery::parse(Some(q)),
            &schema(),
            "/x/",
            &objs,
            &NoRelations,
        )
        .unwrap();
        page.objects
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(found("name__icontains=%C3%A6R%C3%B8"), [0]);
    assert_eq!(found("name__icontains=ROOM"), [1]);
    assert_eq!(found("name__icontains=TEROM"), [0]);
    assert_eq!(found("name__istartswith=m%C3%B8"), [0]);
    assert_eq!(found("name__iexact=meeting%20ROOM"), [1]);
    assert_eq!(found("name__iendswith=AIN"), [2]);
    assert_eq!(found("name__icontains="), [0, 1, 2]);
}

#[test]
fn pages_of_a_sort_match_the_full_sort() {
    // 200 objects with many ties: every page of a partial sort equals that slice of a full one.
    let objs: Vec<Map<String, Value>> = (0..200)
        .map(|i| {
            json!({"id": i, "name": format!("n{}", (i * 7) % 13), "participant_limit": (i * 31) % 17})
                .as_object()
                .unwrap()
                .clone()
        })
        .collect();
    let ids = |q: &str| -> Vec<i64> {
        let page = run(
            &ListQuery::parse(Some(q)),
            &schema(),
            "/x/",
            &objs,
            &NoRelations,
        )
        .unwrap();
        page.objects
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect()
    };
    for order in [
        "name",
        "-name",
        "participant_limit&order_by=-name",
        "-participant_limit",
    ] {
        let all = ids(&format!("order_by={order}&limit=0"));
        assert_eq!(all.len(), 200);
        for offset in [0, 1, 19, 20, 100, 190, 199, 200] {
            let page = ids(&format!("order_by={order}&limit=20&offset={offset}"));
            let want: Vec<i64> = all.iter().skip(offset).take(20).copied().collect();
            assert_eq!(page, want, "order_by={order} offset={offset}");
        }
    }
    // Stable: objects with equal keys keep their (id) order.
    let by_name = ids("order_by=name&limit=0");
    let name_of = |id: i64| format!("n{}", (id * 7) % 13);
    for pair in by_name.windows(2) {
        if name_of(pair[0]) == name_of(pair[1]) {
            assert!(pair[0] < pair[1], "{pair:?}");
        }
    }
}
