//! The terms of a file whose attribute names are not ARM's: how a message or a fix names a
//! property of a resource declared there, and spells its values.
//!
//! The model speaks ARM (`properties.publicNetworkAccess` is `Enabled`), and so do the
//! rules. A frontend whose language names properties otherwise (Terraform's azurerm
//! provider: `public_network_access_enabled = true`) keeps the one table that maps its
//! attributes onto ARM paths; it lends that table, read backwards, to every resource it
//! lowers ([`Origin::vocabulary`](crate::Origin::vocabulary)), so that a rule can speak the
//! user's language without a second copy of the table and without knowing the frontend.

use std::fmt;

use crate::value::Node;

/// How one declaration type names its properties and spells their values, when that is not
/// as ARM does: a frontend's mapping table, read from ARM back to the file's terms.
pub trait Vocabulary: fmt::Debug + Send + Sync {
    /// The attribute that sets the ARM property at `path`, as the file writes it, nested
    /// blocks first and dotted (`managed_network.isolation_mode` for
    /// `properties.managedNetwork.isolationMode`). `None` when the file has no attribute for
    /// it.
    fn attribute(&self, path: &str) -> Option<&'static str>;

    /// How the file writes `value`, a value of the ARM property at `path`: `true` for the
    /// `Enabled` of an attribute that is a boolean in the file, the value itself when the
    /// file writes it as ARM does. `None` when the file has no attribute for the property,
    /// or writes this value otherwise than as a value (an `ssh {}` block whose presence is
    /// the value).
    fn value(&self, path: &str, value: &Node) -> Option<Node>;
}
