/**
 * Where the stack keeps things and which ports it uses. Everything listens on 127.0.0.1; every
 * port can be moved with an environment variable (STACK_<NAME>_PORT).
 */
import { homedir } from 'node:os';
import path from 'node:path';

export const HOST = '127.0.0.1';

const DEFAULT_PORTS = {
  postgres: 54330,
  oidc: 9400,
  etcd: 12379,
  etcdPeer: 12380,
  kubernetes: 16443,
  kwok: 10247,
  minio: 9000,
  minioConsole: 9001,
  mlflow: 5000,
  prometheus: 9090,
  simulator: 9500,
} as const;

export type PortName = keyof typeof DEFAULT_PORTS;

export interface StackContext {
  /** The repository's root. */
  root: string;
  /** Run state: data, logs, pid files, certificates, the kubeconfig and the env file. */
  stateDir: string;
  /** Built binaries and the Python environment, shared across checkouts, outside the repository. */
  cacheDir: string;
  ports: Record<PortName, number>;
  logFile(component: string): string;
  dataDir(component: string): string;
  /** The kubeconfig of the stack's admin; written by the kubernetes component. */
  kubeconfig: string;
  /** KEY=value lines the portal (and tests) read to find every component. */
  envFile: string;
}

function envName(name: string): string {
  return `STACK_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_PORT`;
}

export function stackContext(env: NodeJS.ProcessEnv = process.env): StackContext {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const stateDir = path.resolve(root, env.STACK_STATE_DIR ?? '.data/stack');
  const cacheDir = path.resolve(
    env.STACK_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'ml-portal-stack'),
  );
  const ports = Object.fromEntries(
    Object.entries(DEFAULT_PORTS).map(([name, port]) => [name, Number(env[envName(name)] ?? port)]),
  ) as Record<PortName, number>;
  return {
    root,
    stateDir,
    cacheDir,
    ports,
    logFile: (component) => path.join(stateDir, 'logs', `${component}.log`),
    dataDir: (component) => path.join(stateDir, 'data', component),
    kubeconfig: path.join(stateDir, 'kubeconfig'),
    envFile: path.join(stateDir, 'stack.env'),
  };
}
