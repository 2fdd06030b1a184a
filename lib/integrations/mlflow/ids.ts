import { UserFacingError } from '../../errors';

/** MLflow run ids are uuid4 hex strings: 32 lower-case hex characters. */
export const RUN_ID_PATTERN = /^[0-9a-f]{32}$/;

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}

export function assertRunId(runId: string): void {
  if (!isRunId(runId)) {
    throw new UserFacingError(
      `"${runId.slice(0, 80)}" is not an MLflow run id (32 lower-case hexadecimal characters).`,
      'runId',
    );
  }
}

/** Registered model versions are positive integers. */
export function assertModelVersion(version: string): void {
  if (!/^[1-9][0-9]{0,9}$/.test(version)) {
    throw new UserFacingError(`"${version.slice(0, 20)}" is not a model version number.`, 'version');
  }
}
