//! One module per subcommand, each over the shared [`context`](crate::context) and
//! [`analysis`](crate::analysis): none imports another.

pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod history;
pub(crate) mod init;
pub(crate) mod policy;
pub(crate) mod report;
pub(crate) mod rules;
pub(crate) mod server;
