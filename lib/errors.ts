/** Marks user-facing errors for instanceof across copies of this module (see UserFacingError). */
const USER_FACING_ERROR = Symbol.for('mlp.UserFacingError');

/** An error whose message is written for the person using the portal and safe to show them. */
export class UserFacingError extends Error {
  readonly [USER_FACING_ERROR] = true;

  /**
   * Next.js bundles each route with its own copy of this module, and shared caches (globalThis)
   * keep errors made by another route's copy: recognised by the mark. Subclasses check as usual.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UserFacingError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && USER_FACING_ERROR in value;
  }

  constructor(
    message: string,
    /** The form field the message belongs to, if any. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}
