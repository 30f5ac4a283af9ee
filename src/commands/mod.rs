//! One module per subcommand; each takes parsed arguments and returns a result.

pub mod adaptive;
pub mod batch;
pub mod bench;
pub mod merge;
pub mod plugin;
pub mod replay;
pub mod report;
pub mod run;
pub mod schema;
pub mod search;
pub mod simulate;
pub mod validate;
pub mod worker;
