/** A failure the CLI explains in full itself: reported in one line, without the debug hint; exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
}

/** A mistake in how the command was called: reported in one line, exit code 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
}
