//! `kiemtra`: the command line of Kiểm tra CCHC, over `kiemtra-core`.
//!
//! Exit codes: 0 success; 1 input refused (a Vietnamese message on stderr, nothing
//! changed); 2 wrong usage (from clap).

mod cli;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            ExitCode::from(1)
        }
    }
}
