import type { StackContext } from './context';

/**
 * One component of the local platform. `up` brings components up in the order of `dependsOn`;
 * each step is idempotent: installing what is cached or starting what runs does nothing.
 */
export interface Component {
  /** The name in `status --json`, e.g. `kubernetes`. */
  name: string;
  dependsOn: string[];
  /** Where a person or the portal reaches it. */
  url(ctx: StackContext): string;
  /** Builds or installs what is missing (cached outside the repository); shows progress. */
  install?(ctx: StackContext): Promise<void>;
  /** Starts it unless it runs, and waits until it is ready. */
  start(ctx: StackContext): Promise<void>;
  /** Answers a real request now (not merely a live pid). */
  isUp(ctx: StackContext): Promise<boolean>;
  stop(ctx: StackContext): Promise<void>;
  /** Lines for the env file the portal reads (URLs, credentials). */
  env?(ctx: StackContext): Record<string, string>;
}
