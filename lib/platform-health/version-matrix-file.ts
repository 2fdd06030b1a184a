/**
 * The version matrix in force: the installation's JSON file named by PLATFORM_VERSION_MATRIX
 * (which replaces the shipped one entirely), else DEFAULT_VERSION_MATRIX. A file that cannot be
 * read or is not a valid matrix is an error naming the variable, the path and every bad field:
 * a wrong matrix must not silently fall back to the default.
 */
import { readFileSync } from 'node:fs';
import { parseVersionMatrix, type VersionMatrix } from './version-matrix';
import { DEFAULT_VERSION_MATRIX } from './version-matrix-data';

export function loadVersionMatrix(env: Readonly<Record<string, string | undefined>> = process.env): VersionMatrix {
  const path = env.PLATFORM_VERSION_MATRIX?.trim();
  if (!path) return DEFAULT_VERSION_MATRIX;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `PLATFORM_VERSION_MATRIX names ${path}, which cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseVersionMatrix(text, `PLATFORM_VERSION_MATRIX (${path})`);
}
