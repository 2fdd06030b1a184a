/**
 * MLflow 3 workspaces (`/api/3.0/mlflow/workspaces`), one per tenant. What "create" means depends
 * on the server's workspace store:
 *
 * - MLflow's own SQL store makes the workspace on `POST /workspaces`;
 * - the Kubernetes store (mlflow-kubernetes-plugins) is read-only: a workspace *is* a namespace
 *   matching its label selector, so `POST` answers FEATURE_DISABLED ("Workspace creation is not
 *   supported by this provider") and the workspace appears once the server's namespace watch has
 *   seen the tenant's namespace — usually within a second.
 *
 * Neither store is asked to delete anything: the portal never deletes a workspace.
 */
import { z } from 'zod';
import { integrationConfig } from '../config';
import { httpJson, isUpstreamError, READ_RETRY, UpstreamError } from '../upstream';
import type { MlflowConfig } from './client';
import { describeMlflowError } from './client';

export interface MlflowWorkspace {
  name: string;
  description: string | null;
  defaultArtifactRoot: string | null;
}

const workspaceSchema = z
  .object({ name: z.string(), description: z.string().optional(), default_artifact_root: z.string().optional() })
  .transform((w): MlflowWorkspace => ({
    name: w.name,
    description: w.description || null,
    defaultArtifactRoot: w.default_artifact_root || null,
  }));

const oneWorkspace = z.object({ workspace: workspaceSchema });
const manyWorkspaces = z.object({ workspaces: z.array(workspaceSchema).default([]) });

export type CreateWorkspaceOutcome =
  { kind: 'created'; workspace: MlflowWorkspace } | { kind: 'exists' } | { kind: 'unsupported'; message: string };

export interface MlflowWorkspaces {
  list(): Promise<MlflowWorkspace[]>;
  /** null when the server has no such workspace. */
  get(name: string): Promise<MlflowWorkspace | null>;
  /**
   * Asks the server to make the workspace. `unsupported` when its store makes workspaces some
   * other way (see above); `exists` when it already has one by that name.
   */
  create(name: string, description?: string): Promise<CreateWorkspaceOutcome>;
}

/** Error codes MLflow answers when its workspace store cannot create workspaces. */
const UNSUPPORTED_CODES = new Set(['FEATURE_DISABLED', 'NOT_IMPLEMENTED']);

function loadConfig(): MlflowConfig {
  try {
    return integrationConfig('mlflow');
  } catch (error) {
    throw new UpstreamError(
      'MLflow',
      'unreachable',
      error instanceof Error ? error.message : String(error),
      undefined,
      { cause: error },
    );
  }
}

function errorCode(body: string): string | undefined {
  try {
    const parsed = z.object({ error_code: z.string() }).safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.error_code : undefined;
  } catch {
    return undefined;
  }
}

export function mlflowWorkspaces(config: MlflowConfig = loadConfig()): MlflowWorkspaces {
  const base = `${config.MLFLOW_TRACKING_URI.replace(/\/+$/, '')}/api/3.0/mlflow/workspaces`;
  const checkName = (name: string) => {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63)
      throw new UpstreamError('MLflow', 'rejected', `"${name.slice(0, 80)}" is not a workspace name`);
    return name;
  };

  return {
    async list() {
      const answer = await httpJson({
        system: 'MLflow',
        url: base,
        schema: manyWorkspaces,
        timeoutMs: config.MLFLOW_TIMEOUT_MS,
        describeError: describeMlflowError,
      });
      return answer.workspaces;
    },

    async get(name) {
      try {
        const answer = await httpJson({
          system: 'MLflow',
          url: `${base}/${encodeURIComponent(checkName(name))}`,
          schema: oneWorkspace,
          timeoutMs: config.MLFLOW_TIMEOUT_MS,
          retry: READ_RETRY,
          describeError: describeMlflowError,
        });
        return answer.workspace;
      } catch (error) {
        if (isUpstreamError(error, 'not-found')) return null;
        throw error;
      }
    },

    async create(name, description) {
      let code: string | undefined;
      try {
        const answer = await httpJson({
          system: 'MLflow',
          url: base,
          method: 'POST',
          body: { name: checkName(name), ...(description ? { description } : {}) },
          schema: oneWorkspace,
          timeoutMs: config.MLFLOW_TIMEOUT_MS,
          describeError: (status, body) => {
            code = errorCode(body);
            return describeMlflowError(status, body);
          },
        });
        return { kind: 'created', workspace: answer.workspace };
      } catch (error) {
        if (code && UNSUPPORTED_CODES.has(code) && error instanceof UpstreamError)
          return { kind: 'unsupported', message: error.message };
        if (code === 'RESOURCE_ALREADY_EXISTS' || isUpstreamError(error, 'conflict')) return { kind: 'exists' };
        throw error;
      }
    },
  };
}
