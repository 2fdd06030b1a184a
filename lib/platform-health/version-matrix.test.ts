import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSIONS } from '@/stack/versions';
import { checkVersionMatrix, parseVersionMatrix, versionMatrixSchema, type LiveVersion } from './version-matrix';
import { DEFAULT_VERSION_MATRIX } from './version-matrix-data';
import { loadVersionMatrix } from './version-matrix-file';

const live = (versions: Partial<Record<LiveVersion['component'], string>>): LiveVersion[] =>
  Object.entries(versions).map(([component, version]) => ({
    component: component as LiveVersion['component'],
    version,
    source: `${component} server`,
  }));

const check = (versions: Partial<Record<LiveVersion['component'], string>>) =>
  checkVersionMatrix({ live: live(versions), matrix: DEFAULT_VERSION_MATRIX });

describe('the default version matrix', () => {
  it('is valid by its own schema', () => {
    expect(versionMatrixSchema.safeParse(DEFAULT_VERSION_MATRIX).success).toBe(true);
  });

  it('accepts the local stack’s versions (KServe, simulated, reports none)', () => {
    const stack: LiveVersion[] = [
      ...live({ kubernetes: VERSIONS.kubernetes, mlflow: VERSIONS.mlflow, python: '3.12.8' }),
      { component: 'kserve', version: null, source: 'InferenceService CRD' },
    ];
    expect(checkVersionMatrix({ live: stack, matrix: DEFAULT_VERSION_MATRIX })).toEqual([]);
  });

  it('accepts KServe 0.15 on Kubernetes 1.30 up to every 1.32 patch', () => {
    expect(check({ kserve: 'v0.15.2', kubernetes: 'v1.30.0', mlflow: '3.17.2' })).toEqual([]);
    expect(check({ kserve: 'v0.15.2', kubernetes: 'v1.32.9-eks-1234' })).toEqual([]);
  });
});

describe('version-matrix', () => {
  it('warns about a component outside every combination, naming the closest and its range', () => {
    const findings = check({ kserve: '0.15.0', kubernetes: '1.33.1', mlflow: '3.17.2' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      checkId: 'version-matrix',
      severity: 'warning',
      tenant: null,
      subject: { kind: 'platform', name: 'kubernetes', version: '1.33.1' },
      title:
        'Kubernetes 1.33.1 is outside every combination known to work; the closest, “KServe 0.15 on Kubernetes 1.30–1.32”, takes Kubernetes 1.30–1.32',
    });
    expect(findings[0]!.evidence).toContainEqual({
      label: 'Closest combination',
      value: 'KServe 0.15 on Kubernetes 1.30–1.32: KServe 0.15, Kubernetes 1.30–1.32',
    });
    expect(findings[0]!.evidence).toContainEqual({ label: 'Kubernetes', value: '1.33.1 (kubernetes server)' });
    expect(findings[0]!.remedy).toContain('PLATFORM_VERSION_MATRIX');
  });

  it('judges components together: Kubernetes 1.28 is fine with KServe 0.13 but not with 0.15', () => {
    expect(check({ kserve: '0.13.1', kubernetes: '1.28.4' })).toEqual([]);
    const findings = check({ kserve: '0.15.0', kubernetes: '1.28.4' });
    expect(findings.map((f) => f.subject.name)).toEqual(['kubernetes']);
    expect(findings[0]!.title).toContain('“KServe 0.15 on Kubernetes 1.30–1.32”');
  });

  it('reports each independent mismatch against its own closest combination', () => {
    const findings = check({ kserve: '0.15.0', kubernetes: '1.31.0', mlflow: '3.18.0', python: '3.12.1' });
    expect(findings.map((f) => [f.subject.name, f.title.match(/“(.*)”/)?.[1]])).toEqual([
      ['mlflow', 'MLflow 3.17 with mlflow-kubernetes-plugins 2.1'],
    ]);
  });

  it('gives an info finding for a version that could not be read, and ignores components no combination constrains', () => {
    const findings = checkVersionMatrix({
      live: [
        { component: 'mlflow', version: null, source: 'MLflow server /version', problem: 'connect ECONNREFUSED' },
        { component: 'argo-workflows', version: 'v3.6.2', source: 'workflow-controller image' },
      ],
      matrix: DEFAULT_VERSION_MATRIX,
    });
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'info',
        subject: { kind: 'platform', name: 'mlflow' },
        title: "MLflow's version could not be read from MLflow server /version: connect ECONNREFUSED",
      }),
    ]);
  });
});

describe('an installation’s version matrix file', () => {
  const valid = {
    combinations: [{ name: 'Ours', source: 'our staging', components: { kubernetes: { min: '1.33', max: '1.34' } } }],
  };

  it('replaces the default when PLATFORM_VERSION_MATRIX names it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'matrix-'));
    const file = path.join(dir, 'matrix.json');
    writeFileSync(file, JSON.stringify(valid));
    const matrix = loadVersionMatrix({ PLATFORM_VERSION_MATRIX: file });
    expect(matrix).toEqual(valid);
    expect(checkVersionMatrix({ live: live({ kubernetes: '1.34.0' }), matrix })).toEqual([]);
    expect(loadVersionMatrix({})).toBe(DEFAULT_VERSION_MATRIX);
  });

  it('refuses an unreadable file, naming the variable and path', () => {
    expect(() => loadVersionMatrix({ PLATFORM_VERSION_MATRIX: '/nonexistent/matrix.json' })).toThrow(
      /^PLATFORM_VERSION_MATRIX names \/nonexistent\/matrix.json, which cannot be read: ENOENT/,
    );
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseVersionMatrix('{combinations:', 'matrix.json')).toThrow(/^matrix.json is not JSON: /);
  });

  it('names every bad field: unknown component, bad version, inverted range, missing source', () => {
    const bad = {
      combinations: [
        {
          name: 'Ours',
          components: {
            kubernets: { min: '1.30' },
            mlflow: { min: 'three' },
            kserve: { min: '0.15', max: '0.13' },
          },
        },
      ],
    };
    let message = '';
    try {
      parseVersionMatrix(JSON.stringify(bad), 'matrix.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^matrix.json is not a valid version matrix: /);
    expect(message).toContain('combinations.0.source: ');
    expect(message).toContain('combinations.0.components: Unrecognized key: "kubernets"');
    expect(message).toContain(
      'combinations.0.components.mlflow.min: must be a version number such as "1.30" or "3.17.2"',
    );
    expect(message).toContain('combinations.0.components.kserve: min must not be above max');
  });

  it('refuses an empty matrix and a combination that constrains nothing', () => {
    expect(() => parseVersionMatrix('{"combinations": []}', 'm.json')).toThrow(
      'combinations: list at least one combination',
    );
    expect(() =>
      parseVersionMatrix(JSON.stringify({ combinations: [{ name: 'x', source: 'y', components: {} }] }), 'm.json'),
    ).toThrow('combinations.0.components: constrain at least one component');
  });
});
