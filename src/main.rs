use clap::Parser;
use connector_mock::cli::{check_fixtures, print_factories, Cli, Command};

fn main() {
    let cli = Cli::parse();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    if let Err(message) = run(cli) {
        eprintln!("connector-mock: {message}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match &cli.command {
        Some(Command::CheckFixtures { dir }) => check_fixtures(dir),
        Some(Command::Factories) => print_factories(&cli.load_config()?),
        Some(Command::Serve) | None => {
            let config = cli.load_config()?;
            actix_web::rt::System::new().block_on(connector_mock::serve(config))
        }
    }
}
