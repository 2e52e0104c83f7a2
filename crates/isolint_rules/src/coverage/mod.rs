//! Rules about what isolint could read: coverage of the deployment, not a property of a
//! resource.

pub(crate) mod module_not_read;
