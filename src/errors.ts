/** Errors a user can act on: printed as one line, exit code 2. Anything else is a bug (exit 3). */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

/** The input (plan, state, Terraform JSON, HCL) cannot be read. */
export class InputError extends UserError {
  override readonly name = 'InputError';
}

/** The settings file or a command-line option is wrong. */
export class ConfigError extends UserError {
  override readonly name = 'ConfigError';
}

/** The policy bundle or a tool is missing or stale: the message says what to run. */
export class SetupError extends UserError {
  override readonly name = 'SetupError';
}
