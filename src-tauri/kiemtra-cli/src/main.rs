//! `kiemtra`: the command line of Kiểm tra CCHC, over `kiemtra-core`.
//!
//! Exit codes: 0 success; 1 input refused (a Vietnamese message on stderr, nothing
//! changed; with `--json` also `{code, message}` on stdout); 2 wrong usage (from clap).

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
    let parsed = cli::localize(cli::Args::command())
        .try_get_matches()
        .and_then(|m| cli::Args::from_arg_matches(&m));
    let args = match parsed {
        Ok(a) => a,
        Err(e) => return usage_error(e),
    };
    let json = args.json;
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                // Scripts read the stable code; people read the message.
                output::json(&e);
            }
            eprintln!("Lỗi: {e}");
            ExitCode::from(1)
        }
    }
}

/// clap's usage errors, said in Vietnamese (exit 2); help and version print as usual.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            e.exit()
        }
        _ => {}
    }
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => format!("không có lệnh «{}»", ctx(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => format!("không có tùy chọn «{}»", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingRequiredArgument => format!("thiếu {}", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand => "thiếu lệnh".to_string(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "giá trị «{}» không hợp lệ cho {}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => format!(
            "{} không dùng cùng với tùy chọn khác đã ghi",
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("số giá trị không đúng cho {}", ctx(ContextKind::InvalidArg))
        }
        _ => "câu lệnh không đúng cách dùng".to_string(),
    };
    eprintln!("Lỗi: {what}.");
    let usage = ctx(ContextKind::Usage);
    if let Some(u) = usage
        .trim()
        .strip_prefix("Usage:")
        .or(Some(usage.trim()))
        .filter(|u| !u.is_empty())
    {
        eprintln!("Cách dùng: {}", u.trim());
    }
    eprintln!("Xem thêm: kiemtra --help");
    ExitCode::from(2)
}
