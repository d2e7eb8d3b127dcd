use connector_mock::cli::{self, Cli, Command};

fn main() {
    let cli = Cli::parse_args(std::env::args_os()).unwrap_or_else(|error| error.exit());
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    if let Err(message) = run(cli) {
        eprintln!("connector-mock: {message}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match &cli.command {
        Some(Command::CheckFixtures { dir }) => cli::check_fixtures(dir),
        Some(Command::Factories) => cli::print_factories(&cli.load_config()?),
        Some(Command::Verify) => cli::verify(&cli.load_config()?),
        Some(Command::Repair) => cli::repair(&cli.load_config()?),
        Some(Command::Backup { out }) => cli::backup(&cli.load_config()?, out),
        Some(Command::Restore { file }) => cli::restore(&cli.load_config()?, file),
        Some(Command::Healthcheck { url, timeout_ms }) => {
            cli::healthcheck(&cli.load_config()?, url.as_deref(), *timeout_ms)
        }
        Some(Command::Export { tenant }) => cli::export(&cli.load_config()?, tenant.as_deref()),
        Some(Command::Import { file }) => cli::import(&cli.load_config()?, file),
        Some(Command::Serve) | None => connector_mock::serve(cli.load_config()?),
    }
}
