//! How the list engine follows relations of configuration objects: URIs resolve in the store,
//! related schemas come from the catalogue.

use std::borrow::Cow;

use pexip::Schema;
use serde_json::{Map, Value};

use crate::catalogue::Catalogue;
use crate::list::Relations;
use crate::store::ConfigStore;

/// The store and catalogue seen by the list engine.
pub struct ConfigRelations<'a> {
    pub catalogue: &'a Catalogue,
    pub store: &'a ConfigStore,
}

impl Relations for ConfigRelations<'_> {
    fn related_schema(&self, owner: &Schema, field: &str) -> Option<&Schema> {
        let owner = self
            .catalogue
            .resources()
            .find(|r| std::ptr::eq(&r.schema, owner))?;
        let target = owner.relation(field)?;
        self.catalogue.get(target).map(|r| &r.schema)
    }

    fn resolve(&self, uri: &str) -> Option<Cow<'_, Map<String, Value>>> {
        self.store.resolve(uri).map(Cow::Borrowed)
    }
}
