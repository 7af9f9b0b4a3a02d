//! Ids of what a use case works on, one type each, so that a round's id cannot be passed where an
//! expert's is meant. On the wire they are plain numbers (`#[serde(transparent)]`), as the views' ids are.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);
    };
}

id!(
    /// A round (评审批次).
    RoundId
);
id!(
    /// An expert of a round.
    ExpertId
);
id!(
    /// An application of a round.
    ApplicationId
);
id!(
    /// One expert's score sheet for one application.
    SheetId
);
id!(
    /// A 实地考察 record.
    SiteVisitId
);
id!(
    /// A claim checked on a 实地考察 (a finding).
    FindingId
);
