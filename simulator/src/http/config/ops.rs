//! Changes to the configuration store, validated as a Management Node does: create, update,
//! delete with its cascades, and the writes through reverse relations (a conference's nested
//! `aliases`, its `automatic_participants`).
//!
//! Operations work on a draft of the store; the caller swaps it in only when all succeeded, so
//! a failed request changes nothing.

use pexip::{FormErrors, RelatedType};
use serde_json::{Map, Value};

use crate::catalogue::{Catalogue, IdKind, Resource, rules};
use crate::list::datetime;
use crate::store::{ConfigStore, Object, ObjectId, config_uri, split_uri};
use crate::validate::{apply_fields, check_required, check_unique, index_unique_fields};

/// Creates an object of `resource` from `request`; `forced_id` is the id a PUT names.
pub fn create(
    draft: &mut ConfigStore,
    catalogue: &Catalogue,
    resource: &Resource,
    request: &Object,
    forced_id: Option<ObjectId>,
) -> Result<ObjectId, FormErrors> {
    let mut errors = FormErrors::new(resource.name);
    let mut object = resource.defaults_for(request, &datetime::now());
    for reverse in resource.reverse.keys() {
        object.remove(reverse);
    }
    apply_fields(resource, request, &mut object, draft, &mut errors);
    check_required(resource, &object, &mut errors);
    let id = match forced_id {
        Some(id) => Some(id),
        None => new_id(draft, resource, &object, &mut errors),
    };
    let Some(id) = id else {
        return Err(errors);
    };
    index_unique_fields(resource, draft);
    check_unique(resource, &object, Some(&id), draft, &mut errors);
    if errors.is_empty() {
        rules::check(resource.name, &object, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    object.insert("id".into(), id.to_json());
    let uri = config_uri(resource.name, &id);
    object.insert("resource_uri".into(), Value::String(uri.clone()));
    draft.put(resource.name, id.clone(), object);
    write_reverse(
        draft,
        catalogue,
        resource,
        &uri,
        request,
        false,
        &mut errors,
    );
    if errors.is_empty() {
        Ok(id)
    } else {
        Err(errors)
    }
}

/// Changes object `id` of `resource` with the fields of `request` (absent fields keep their
/// values; an explicit `null` or `""` clears). `Ok(false)` when there is no such object.
pub fn update(
    draft: &mut ConfigStore,
    catalogue: &Catalogue,
    resource: &Resource,
    id: &ObjectId,
    request: &Object,
) -> Result<bool, FormErrors> {
    let Some(mut object) = draft.get(resource.name, id).cloned() else {
        return Ok(false);
    };
    let mut errors = FormErrors::new(resource.name);
    apply_fields(resource, request, &mut object, draft, &mut errors);
    index_unique_fields(resource, draft);
    check_unique(resource, &object, Some(id), draft, &mut errors);
    if errors.is_empty() {
        rules::check(resource.name, &object, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let uri = config_uri(resource.name, id);
    // A natural key that changed moves the object.
    let new_id = match resource.id_kind {
        IdKind::Key(field) => object
            .get(field)
            .and_then(ObjectId::from_json)
            .unwrap_or(id.clone()),
        _ => id.clone(),
    };
    if new_id != *id {
        if draft.get(resource.name, &new_id).is_some() {
            errors.add("id", crate::validate::already_exists(resource.name, "id"));
            return Err(errors);
        }
        draft.remove(resource.name, id);
        object.insert("id".into(), new_id.to_json());
        object.insert(
            "resource_uri".into(),
            Value::String(config_uri(resource.name, &new_id)),
        );
    }
    draft.put(resource.name, new_id, object);
    write_reverse(draft, catalogue, resource, &uri, request, true, &mut errors);
    if errors.is_empty() {
        Ok(true)
    } else {
        Err(errors)
    }
}

/// Deletes object `id` of `resource` and what depends on it: objects whose required relation
/// named it are deleted, nullable relations are cleared, to-many relations lose it.
/// Returns whether the object existed.
pub fn delete(
    draft: &mut ConfigStore,
    catalogue: &Catalogue,
    resource: &str,
    id: &ObjectId,
) -> bool {
    if draft.remove(resource, id).is_none() {
        return false;
    }
    let uri = config_uri(resource, id);
    for other in catalogue.resources() {
        for (field, target) in &other.relations {
            if *target != resource || other.is_reverse(field) {
                continue;
            }
            let Some(f) = other.schema.field(field) else {
                continue;
            };
            if f.related_type == Some(RelatedType::ToMany) {
                draft.edit_where(
                    other.name,
                    |o| lists(o, field, &uri),
                    |o| {
                        if let Some(Value::Array(items)) = o.get_mut(field.as_str()) {
                            items.retain(|v| v.as_str() != Some(uri.as_str()));
                        }
                    },
                );
            } else if f.nullable {
                draft.edit_where(
                    other.name,
                    |o| o.get(field.as_str()).and_then(Value::as_str) == Some(uri.as_str()),
                    |o| {
                        o.insert(field.clone(), Value::Null);
                    },
                );
            } else {
                let dependants: Vec<ObjectId> = draft
                    .objects(other.name)
                    .filter(|o| o.get(field.as_str()).and_then(Value::as_str) == Some(uri.as_str()))
                    .filter_map(|o| o.get("id").and_then(ObjectId::from_json))
                    .collect();
                for dependant in dependants {
                    delete(draft, catalogue, other.name, &dependant);
                }
            }
        }
    }
    true
}

/// The id of a new object: the next integer, a fresh UUID, or its natural key.
fn new_id(
    draft: &mut ConfigStore,
    resource: &Resource,
    object: &Object,
    errors: &mut FormErrors,
) -> Option<ObjectId> {
    match resource.id_kind {
        IdKind::Integer => Some(draft.allocate_id(resource.name)),
        IdKind::Uuid => Some(ObjectId::Text(uuid_v4())),
        IdKind::Key(field) => {
            let id = object.get(field).and_then(ObjectId::from_json);
            if let Some(id) = &id
                && draft.get(resource.name, id).is_some()
            {
                errors.add(field, crate::validate::already_exists(resource.name, field));
                return None;
            }
            if id.is_none() && errors.field(field).is_empty() {
                errors.add(field, "This field is required.");
            }
            id
        }
    }
}

/// A random (version 4) UUID.
pub fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // No system randomness: fall back to the clock, still unique enough for a simulator.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        b = nanos.to_le_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Writes the reverse relations `request` names for the object at `uri`: nested objects are
/// created pointing here, URIs of existing objects are pointed here; on update the set is
/// replaced (objects no longer named stop pointing here, or are deleted when they must point
/// somewhere).
fn write_reverse(
    draft: &mut ConfigStore,
    catalogue: &Catalogue,
    resource: &Resource,
    uri: &str,
    request: &Object,
    replace: bool,
    errors: &mut FormErrors,
) {
    for (field, (source, source_field)) in &resource.reverse {
        let Some(value) = request.get(field) else {
            continue;
        };
        let readonly = resource.schema.field(field).is_some_and(|f| f.readonly);
        let Some(src) = catalogue.get(source) else {
            continue;
        };
        if readonly {
            continue;
        }
        let items = match value {
            Value::Null => Vec::new(),
            Value::Array(items) => items.clone(),
            _ => {
                errors.add(field.clone(), "A list is expected.");
                continue;
            }
        };
        let to_many = src
            .schema
            .field(source_field)
            .is_some_and(|f| f.related_type == Some(RelatedType::ToMany));
        if replace {
            unlink_all(draft, catalogue, src, source_field, uri, to_many);
        }
        for item in items {
            match item {
                Value::Object(mut nested) => {
                    let link = if to_many {
                        Value::Array(vec![Value::String(uri.to_owned())])
                    } else {
                        Value::String(uri.to_owned())
                    };
                    nested.insert((*source_field).to_owned(), link);
                    if let Err(nested_errors) = create(draft, catalogue, src, &nested, None) {
                        for (f, messages) in nested_errors.fields {
                            for m in messages {
                                let m = if f == pexip::NON_FIELD_ERRORS {
                                    m
                                } else {
                                    format!("{f}: {m}")
                                };
                                errors.add(field.clone(), m);
                            }
                        }
                    }
                }
                Value::String(other_uri) => {
                    let found = split_uri(&other_uri)
                        .filter(|(r, _)| r == source)
                        .map(|(r, id)| (r.to_owned(), ObjectId::parse(id)))
                        .and_then(|(r, id)| draft.get(&r, &id).cloned().map(|o| (id, o)));
                    match found {
                        Some((id, mut other)) => {
                            link(&mut other, source_field, uri, to_many);
                            draft.put(source, id, other);
                        }
                        None => errors.add(
                            field.clone(),
                            format!(
                                "Could not find the provided object via resource URI '{other_uri}'."
                            ),
                        ),
                    }
                }
                _ => errors.add(
                    field.clone(),
                    "Each item must be an object or a resource URI.",
                ),
            }
        }
    }
}

/// Whether the to-many field `field` of `object` lists `uri`.
fn lists(object: &Object, field: &str, uri: &str) -> bool {
    matches!(object.get(field), Some(Value::Array(items)) if items.iter().any(|v| v.as_str() == Some(uri)))
}

fn link(object: &mut Object, field: &str, uri: &str, to_many: bool) {
    if to_many {
        let list = object
            .entry(field.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list
            && !items.iter().any(|v| v.as_str() == Some(uri))
        {
            items.push(Value::String(uri.to_owned()));
        }
    } else {
        object.insert(field.to_owned(), Value::String(uri.to_owned()));
    }
}

/// Makes every object of `src` stop pointing at `uri` through `field`.
fn unlink_all(
    draft: &mut ConfigStore,
    catalogue: &Catalogue,
    src: &Resource,
    field: &str,
    uri: &str,
    to_many: bool,
) {
    if to_many {
        draft.edit_where(
            src.name,
            |o| lists(o, field, uri),
            |o| {
                if let Some(Value::Array(items)) = o.get_mut(field) {
                    items.retain(|v| v.as_str() != Some(uri));
                }
            },
        );
        return;
    }
    let nullable = src.schema.field(field).is_some_and(|f| f.nullable);
    let pointing: Vec<ObjectId> = draft
        .objects(src.name)
        .filter(|o| o.get(field).and_then(Value::as_str) == Some(uri))
        .filter_map(|o| o.get("id").and_then(ObjectId::from_json))
        .collect();
    for id in pointing {
        if nullable {
            if let Some(mut o) = draft.get(src.name, &id).cloned() {
                o.insert(field.to_owned(), Value::Null);
                draft.put(src.name, id, o);
            }
        } else {
            delete(draft, catalogue, src.name, &id);
        }
    }
}

/// The body of a bulk request (`{"objects": [...], "deleted_objects": [...]}`).
pub struct Bulk {
    pub objects: Vec<Map<String, Value>>,
    pub deleted: Vec<String>,
}

impl Bulk {
    /// Reads a bulk body; the error says what is wrong with it.
    pub fn parse(body: &Object) -> Result<Bulk, String> {
        let objects = match body.get("objects") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_object()
                        .cloned()
                        .ok_or("Each of 'objects' must be a JSON object.")
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err("'objects' must be a list.".to_owned()),
            None if body.contains_key("deleted_objects") => Vec::new(),
            None => return Err("Invalid data sent: 'objects' is required.".to_owned()),
        };
        let deleted = match body.get("deleted_objects") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .ok_or("Each of 'deleted_objects' must be a resource URI.")
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err("'deleted_objects' must be a list.".to_owned()),
        };
        Ok(Bulk { objects, deleted })
    }
}
