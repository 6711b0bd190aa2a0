import type { ErrorCode } from '../../shared/models/errors.ts';

/** An error whose message is meant for the user as it is: one actionable line, with a code from the closed list. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'user_error',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Bad command-line usage (exit code 2). */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'UsageError';
  }
}

/**
 * SQLite failures a user can act on, as one line that names the problem and the way out (the
 * disk, the lock, a damaged file); null for anything else, which is a bug.
 */
export function sqliteUserError(err: unknown): UserError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code.startsWith('SQLITE_FULL'))
    return new UserError('the disk is full: the last batch was rolled back and nothing of it was written; free some space and run the command again', 'disk_full');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new UserError('the workspace stayed locked by another writer past the busy timeout; let it finish (or close it) and run the command again', 'locked');
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
    return new UserError('the workspace file is damaged; restore it from a backup, or copy out what is readable with "sqlite3 FILE .recover"', 'damaged');
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM'))
    return new UserError('the workspace cannot be written here (read-only file or folder); check its permissions and run the command again', 'read_only');
  if (code.startsWith('SQLITE_IOERR'))
    return new UserError(`the disk failed while writing the workspace (${code}); check the disk, then run "verdict audit verify"`, 'io_error');
  return null;
}
