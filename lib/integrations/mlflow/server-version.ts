/**
 * The MLflow server's own version: `GET <tracking URI>/version` answers it as plain text
 * ("3.17.2"), outside the REST API and its workspaces.
 */
import { integrationConfig } from '../config';
import { formatDuration } from '../../format';
import { READ_RETRY, UpstreamError, withRetry } from '../upstream';
import type { MlflowConfig } from './client';

/** At most this many characters of an answer are taken for a version. */
const MAX_VERSION_LENGTH = 40;

export async function mlflowServerVersion(
  config: Pick<MlflowConfig, 'MLFLOW_TRACKING_URI' | 'MLFLOW_TIMEOUT_MS'> = integrationConfig('mlflow'),
): Promise<string> {
  const url = `${config.MLFLOW_TRACKING_URI.replace(/\/+$/, '')}/version`;
  const host = new URL(url).host;
  return withRetry(READ_RETRY, async () => {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(config.MLFLOW_TIMEOUT_MS), cache: 'no-store' });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw timedOut
        ? new UpstreamError(
            'MLflow',
            'timeout',
            `MLflow did not answer within ${formatDuration(config.MLFLOW_TIMEOUT_MS)}`,
            undefined,
            { cause: error },
          )
        : new UpstreamError('MLflow', 'unreachable', `MLflow cannot be reached at ${host}`, undefined, {
            cause: error,
          });
    }
    const text = (await response.text()).trim();
    if (!response.ok)
      throw new UpstreamError(
        'MLflow',
        response.status >= 500 ? 'unreachable' : 'rejected',
        `MLflow answered ${response.status} to GET /version`,
        response.status,
      );
    if (text === '' || text.length > MAX_VERSION_LENGTH || /\s/.test(text))
      throw new UpstreamError(
        'MLflow',
        'invalid-response',
        'MLflow’s /version did not answer a version',
        response.status,
      );
    return text;
  });
}
