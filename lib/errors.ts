/** An error whose message is written for the person using the portal and safe to show them. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    /** The form field the message belongs to, if any. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}
