//! `gongwen convert …`: parse flags, run, exit 0 (all converted), 1 (some files failed) or
//! 2 (bad usage, or the output cannot be written).

use std::process::ExitCode;

use clap::Parser;
use gongwen::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Worker(args) => {
            let (max_memory, keep_state) = (args.max_memory, args.keep_state);
            gongwen::worker::serve(max_memory, keep_state, args.limits())
        }
        Command::Convert(args) => {
            let config = match args.into_config() {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("gongwen: {e}");
                    return ExitCode::from(2);
                }
            };
            match gongwen::run::run(&config) {
                Ok(summary) => {
                    if !config.quiet {
                        eprintln!("{}", summary.render());
                    }
                    // A closed pipe ends a filter successfully, like `rg … | head`.
                    if summary.failed_total() > 0 && !summary.stdout_closed {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("gongwen: {}", gongwen::error::chain(&e));
                    ExitCode::from(2)
                }
            }
        }
    }
}
