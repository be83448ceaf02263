//! Creating the checked rooms one at a time (one request in flight, so the Management Node sees
//! one mutation at a time), with a way to stop between rooms.

use crate::api::rooms::create_room;
use bff::bulk::{ImportPreview, ImportRoom};
use leptos::prelude::*;

/// Where the creation of all rooms stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// Not started for this preview.
    Idle,
    Running,
    /// Asked to stop; the room being created finishes first.
    Stopping,
    /// Finished (every room tried, or stopped).
    Done,
}

impl Run {
    pub fn is_running(self) -> bool {
        matches!(self, Run::Running | Run::Stopping)
    }
}

/// What happened to one room of the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Has errors: never sent.
    Invalid,
    /// Valid, not created yet.
    Waiting,
    Creating,
    Created(u64),
    /// The server refused or failed: its message.
    Failed(String),
    /// Not tried because the import was stopped.
    Skipped,
}

impl Outcome {
    pub fn initial(room: &ImportRoom) -> Outcome {
        if room.is_valid() {
            Outcome::Waiting
        } else {
            Outcome::Invalid
        }
    }

    /// Whether the room has been dealt with (for the progress bar).
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            Outcome::Created(_) | Outcome::Failed(_) | Outcome::Skipped
        )
    }
}

/// Creates the valid rooms of `preview` in order, updating `outcomes` as it goes.
pub fn start(preview: ImportPreview, outcomes: RwSignal<Vec<Outcome>>, run: RwSignal<Run>) {
    if run.get_untracked() != Run::Idle {
        return;
    }
    run.set(Run::Running);
    leptos::task::spawn_local(async move {
        for (index, room) in preview.rooms.into_iter().enumerate() {
            if outcomes.with_untracked(|o| o.get(index) != Some(&Outcome::Waiting)) {
                continue;
            }
            let outcome = if run.get_untracked() == Run::Stopping {
                Outcome::Skipped
            } else {
                set(outcomes, index, Outcome::Creating);
                match create_room(room.fields).await {
                    Ok(id) => Outcome::Created(id),
                    Err(error) => Outcome::Failed(error.to_string()),
                }
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
