//! One module per subcommand; each takes parsed arguments and returns a result.

pub mod bench;
pub mod simulate;
