//! The `isolint` binary (also built as `isolint-pre-commit` by the repository root's
//! package, for pre-commit hooks).

fn main() -> std::process::ExitCode {
    isolint::main()
}
