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

/** The report cannot be written (--output, stdout): a full disk, a missing directory. */
export class OutputError extends UserError {
  override readonly name = 'OutputError';
}

/** The policy bundle or a tool is missing or stale: the message says what to run. */
export class SetupError extends UserError {
  override readonly name = 'SetupError';
}

/** What went wrong with a file, in words rather than an error code (ENOENT, EACCES...). */
export function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory, expected a file',
    ENOTDIR: 'a component of the path is not a directory',
    ELOOP: 'too many symbolic links (a symlink loop?)',
    ENAMETOOLONG: 'the file name is too long',
    EMFILE: 'too many open files',
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
    EIO: 'input/output error',
    EFBIG: 'file too large',
    EDQUOT: 'disk quota exceeded',
  };
  if (code !== undefined && Object.hasOwn(words, code)) return words[code];
  return code ?? (error instanceof Error ? error.message : String(error));
}
