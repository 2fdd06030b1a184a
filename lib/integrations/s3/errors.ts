import { UpstreamError } from '../upstream';
import { formatDuration } from '../../format';

const SYSTEM = 'Object storage';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);
const DENIED_NAMES = new Set(['AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch']);
const MISSING_NAMES = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);

interface SdkError {
  name?: string;
  code?: string;
  cause?: { code?: string };
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns what the AWS SDK throws into an UpstreamError a person can act on: a timeout, an
 * unreachable endpoint, a missing object or refused credentials, each said plainly.
 */
export function toStorageError(
  error: unknown,
  context: { timeoutMs: number; endpoint: string; what: string },
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const code = e.code ?? e.cause?.code;
  const options = { cause: error };
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || code === 'ETIMEDOUT') {
    return new UpstreamError(
      SYSTEM,
      'timeout',
      `${SYSTEM} did not answer within ${formatDuration(context.timeoutMs)}`,
      undefined,
      options,
    );
  }
  if (status === undefined && (code === undefined || NETWORK_CODES.has(code))) {
    return new UpstreamError(
      SYSTEM,
      'unreachable',
      `${SYSTEM} cannot be reached at ${new URL(context.endpoint).host}`,
      undefined,
      options,
    );
  }
  if (status === 404 || MISSING_NAMES.has(e.name ?? '')) {
    return new UpstreamError(SYSTEM, 'not-found', `${SYSTEM} has no ${context.what}`, status ?? 404, options);
  }
  if (status === 403 || status === 401 || DENIED_NAMES.has(e.name ?? '')) {
    return new UpstreamError(
      SYSTEM,
      'forbidden',
      `${SYSTEM} refused access to ${context.what} (check the portal's S3 credentials)`,
      status,
      options,
    );
  }
  return new UpstreamError(
    SYSTEM,
    'rejected',
    `${SYSTEM} answered ${status ?? 'with an error'} (${e.name ?? 'unknown'}) for ${context.what}`,
    status,
    options,
  );
}
