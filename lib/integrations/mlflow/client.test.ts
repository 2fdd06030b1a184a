import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserFacingError } from '../../errors';
import { describeMlflowError, mlflowFor, type MlflowConfig } from './client';

const config: MlflowConfig = {
  MLFLOW_TRACKING_URI: 'http://mlflow.test:5000',
  MLFLOW_WORKSPACE_HEADER: 'X-MLFLOW-WORKSPACE',
  MLFLOW_TIMEOUT_MS: 1000,
};

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => vi.restoreAllMocks());

describe('mlflowFor', () => {
  it('refuses a tenant name that is not a DNS label', () => {
    expect(() => mlflowFor('Fraud/../pricing', config)).toThrow(UserFacingError);
    expect(() => mlflowFor('', config)).toThrow('is not a tenant name');
  });

  it('sends the tenant’s workspace header on every call', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockResolvedValue(answer(200, { experiments: [] }));
    await mlflowFor('fraud', config).searchExperiments();
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe('http://mlflow.test:5000/api/2.0/mlflow/experiments/search');
    expect((init?.headers as Record<string, string>)['X-MLFLOW-WORKSPACE']).toBe('fraud');
  });

  it('refuses a malformed run id without asking MLflow', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    const client = mlflowFor('fraud', config);
    await expect(client.getRun('../../etc')).rejects.toThrow('is not an MLflow run id');
    await expect(client.getMetricHistory('ABCDEF0123456789ABCDEF0123456789', 'loss')).rejects.toThrow(UserFacingError);
    await expect(client.getModelVersion('m', 'latest')).rejects.toThrow('is not a model version number');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('retries a search (a POST read) but never a write', async () => {
    const fetch = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => answer(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }));
    const client = mlflowFor('fraud', config);
    await expect(client.searchRuns({ experimentIds: ['1'], maxResults: 1 })).rejects.toThrow('MLflow: busy');
    expect(fetch).toHaveBeenCalledTimes(3);
    fetch.mockClear();
    await expect(client.setRegisteredModelAlias('m', 'champion', '1')).rejects.toThrow('MLflow: busy');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('follows page tokens for a whole metric history, in step order', async () => {
    vi.spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(
        answer(200, { metrics: [{ key: 'loss', value: 0.5, step: 2, timestamp: 3 }], next_page_token: 'p2' }),
      )
      .mockResolvedValueOnce(answer(200, { metrics: [{ key: 'loss', value: 0.9, step: 0, timestamp: 1 }] }));
    const points = await mlflowFor('fraud', config).getMetricHistory('a'.repeat(32), 'loss');
    expect(points).toEqual([
      { step: 0, timestamp: 1, value: 0.9 },
      { step: 2, timestamp: 3, value: 0.5 },
    ]);
  });
});

describe('describeMlflowError', () => {
  it('turns MLflow error bodies into kinds and messages', () => {
    expect(
      describeMlflowError(
        404,
        JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=x not found' }),
      ),
    ).toEqual({
      kind: 'not-found',
      message: 'MLflow: Run with id=x not found',
    });
    expect(
      describeMlflowError(
        400,
        JSON.stringify({ error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid comparator '>>='" }),
      ),
    ).toEqual({
      kind: 'rejected',
      message: "MLflow: Invalid comparator '>>='",
    });
    expect(describeMlflowError(403, JSON.stringify({ error_code: 'PERMISSION_DENIED', message: 'no' }))?.kind).toBe(
      'forbidden',
    );
    expect(
      describeMlflowError(409, JSON.stringify({ error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' }))?.kind,
    ).toBe('conflict');
  });

  it('leaves other bodies to the default message', () => {
    expect(describeMlflowError(502, '<html>Bad gateway</html>')).toBeUndefined();
    expect(describeMlflowError(500, '{"detail": "x"}')).toBeUndefined();
  });
});
