//! `kiemtra`: the command line of Kiểm tra CCHC, over `kiemtra-core`.
//!
//! Exit codes: 0 success; 1 input refused (a Vietnamese message on stderr, nothing
//! changed); 2 wrong usage (from clap).

mod cli;
mod output;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // Piped into `head`, stop quietly like other command-line tools instead of panicking.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let matches = cli::localize(cli::Args::command()).get_matches();
    let args = match cli::Args::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            ExitCode::from(1)
        }
    }
}
