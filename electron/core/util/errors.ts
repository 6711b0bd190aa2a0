/** An error whose message is meant for the user as it is: one actionable line. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'user_error',
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
