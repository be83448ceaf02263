//! Sending the checked items one at a time (one request in flight, so the Management Node sees
//! one mutation at a time), with a way to stop between items.

use super::kind::ImportKind;
use bff::bulk::{ImportAction, ImportItem, ImportPreview};
use leptos::prelude::*;

/// Where the sending of all items stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// Not started for this preview.
    Idle,
    Running,
    /// Asked to stop; the item being sent finishes first.
    Stopping,
    /// Finished (every item tried, or stopped).
    Done,
}

impl Run {
    pub fn is_running(self) -> bool {
        matches!(self, Run::Running | Run::Stopping)
    }
}

/// What happened to one item of the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Has errors: never sent.
    Invalid,
    /// Already as the file says: never sent.
    Unchanged(u64),
    /// Valid, not sent yet.
    Waiting,
    Sending,
    Created(u64),
    Updated(u64),
    /// The server refused or failed: its message.
    Failed(String),
    /// Not tried because the import was stopped.
    Skipped,
}

impl Outcome {
    pub fn initial(item: &ImportItem) -> Outcome {
        match item.action {
            _ if !item.is_valid() => Outcome::Invalid,
            ImportAction::Unchanged { id } => Outcome::Unchanged(id),
            _ => Outcome::Waiting,
        }
    }

    /// Whether the item has been dealt with (for the progress bar).
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            Outcome::Created(_) | Outcome::Updated(_) | Outcome::Failed(_) | Outcome::Skipped
        )
    }
}

/// Sends the valid items of `preview` in order, updating `outcomes` as it goes.
pub fn start(
    kind: ImportKind,
    preview: ImportPreview,
    outcomes: RwSignal<Vec<Outcome>>,
    run: RwSignal<Run>,
) {
    if run.get_untracked() != Run::Idle {
        return;
    }
    run.set(Run::Running);
    leptos::task::spawn_local(async move {
        for (index, item) in preview.items.into_iter().enumerate() {
            if outcomes.with_untracked(|o| o.get(index) != Some(&Outcome::Waiting)) {
                continue;
            }
            let outcome = if run.get_untracked() == Run::Stopping {
                Outcome::Skipped
            } else {
                set(outcomes, index, Outcome::Sending);
                kind.send(item).await
            };
            set(outcomes, index, outcome);
        }
        run.set(Run::Done);
    });
}

fn set(outcomes: RwSignal<Vec<Outcome>>, index: usize, outcome: Outcome) {
    outcomes.update(|list| {
        if let Some(slot) = list.get_mut(index) {
            *slot = outcome;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use bff::bulk::ImportError;

    #[test]
    fn only_valid_items_that_change_something_wait_to_be_sent() {
        let item = |action, errors: Vec<ImportError>| ImportItem {
            action,
            errors,
            ..ImportItem::default()
        };
        let bad = ImportError {
            line: 2,
            column: None,
            message: "bad".into(),
        };
        assert_eq!(
            Outcome::initial(&item(ImportAction::Create, vec![])),
            Outcome::Waiting
        );
        assert_eq!(
            Outcome::initial(&item(ImportAction::Update { id: 3 }, vec![])),
            Outcome::Waiting
        );
        assert_eq!(
            Outcome::initial(&item(ImportAction::Unchanged { id: 3 }, vec![])),
            Outcome::Unchanged(3)
        );
        assert_eq!(
            Outcome::initial(&item(ImportAction::Update { id: 3 }, vec![bad])),
            Outcome::Invalid
        );
        assert!(!Outcome::Unchanged(3).is_finished());
        assert!(Outcome::Updated(3).is_finished());
    }
}
