import { asArray, asStringRecord, at, isRecord, resourceId, type Manifest, type Problem } from './problems';
import type { Environment } from './render';

/** The public app: its "http" port is what the Ingress reaches, so health and metrics have a port of their own. */
const GATEWAY = { name: 'gateway', port: 3000, managementPort: 3010, database: false, redis: true } as const;

/**
 * The seven apps and what each one needs; the single source the rules compare the manifests with. `port`
 * is the container port "http" (see portsOf for the port of health and metrics).
 */
export const APPS = [
  GATEWAY,
  { name: 'auth', port: 3001, database: true, redis: false },
  { name: 'presence', port: 3002, database: true, redis: true },
  { name: 'connections', port: 3003, database: true, redis: false },
  { name: 'chat', port: 3004, database: true, redis: true },
  { name: 'proximity', port: 3005, database: true, redis: false },
  { name: 'gifts', port: 3006, database: true, redis: false },
] as const;

export type AppSpec = (typeof APPS)[number];

/** A named container port and the setting that opens it. */
interface AppPort {
  name: string;
  number: number;
  setting: string;
}

/**
 * An app's public or only HTTP port, and the port serving health and metrics (probes, Prometheus): the
 * same one for a service, the gateway's "management" port for the gateway, whose "http" the Ingress reaches.
 */
export function portsOf(app: AppSpec): { http: AppPort; management: AppPort } {
  if (app.name !== 'gateway') {
    const http = { name: 'http', number: app.port, setting: 'HTTP_PORT' };
    return { http, management: http };
  }
  return {
    http: { name: 'http', number: app.port, setting: 'GATEWAY_PORT' },
    management: { name: 'management', number: app.managementPort, setting: 'GATEWAY_MANAGEMENT_PORT' },
  };
}

/** Whether a port as written in a probe or a NetworkPolicy (name or number) is `port`. */
const isPort = (value: unknown, port: AppPort): boolean => value === port.name || value === port.number;

const inNamespace = (namespace: string) => (peer: unknown): boolean =>
  at(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name') === namespace;
const outsideTheNamespace = (peer: unknown): boolean => at(peer, 'ipBlock') !== undefined || inNamespace('ingress-nginx')(peer);

/** Ports a NetworkPolicy admits from the peers `admits` picks; a rule without ports admits every port. */
function portsAdmitted(policy: Manifest, admits: (peer: unknown) => boolean): unknown[] {
  return asArray(at(policy, 'spec', 'ingress'))
    .filter((rule) => asArray(at(rule, 'from')).some(admits))
    .flatMap((rule) => {
      const ports = asArray(at(rule, 'ports'));
      return ports.length === 0 ? ['every port'] : ports.map((port) => at(port, 'port'));
    });
}

/** Headroom kept below Postgres max_connections for migration Jobs, the operator and administrators. */
export const POSTGRES_RESERVED_CONNECTIONS = 50;

type Report = (manifest: Manifest | undefined, message: string, path?: string) => void;

function reporter(source: string, problems: Problem[]): Report {
  return (manifest, message, path) => problems.push({ source, resource: manifest ? resourceId(manifest) : undefined, path, message });
}

const byKind = (manifests: Manifest[], kind: string): Manifest[] => manifests.filter((manifest) => manifest.kind === kind);
const named = (manifests: Manifest[], kind: string, name: string): Manifest | undefined =>
  manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

function podTemplate(workload: Manifest): { labels: Record<string, string>; spec: Record<string, unknown> } {
  const template = at(workload, 'spec', 'template');
  return { labels: asStringRecord(at(template, 'metadata', 'labels')), spec: isRecord(at(template, 'spec')) ? (at(template, 'spec') as Record<string, unknown>) : {} };
}

function containers(spec: Record<string, unknown>): Array<Record<string, unknown>> {
  return asArray(spec['containers']).filter(isRecord);
}

/** `gisbi-<app>-config-5h2k…` → the generated ConfigMap, `gisbi-jwt` (not rendered) → undefined. */
function configValue(manifests: Manifest[], configMapNames: string[], key: string): string | undefined {
  let value: string | undefined;
  for (const name of configMapNames) {
    const map = named(manifests, 'ConfigMap', name);
    const candidate = asStringRecord(map?.['data'])[key];
    if (candidate !== undefined) value = candidate;
  }
  return value;
}

interface EnvSources {
  configMaps: string[];
  secrets: string[];
}

function envSources(container: Record<string, unknown>): EnvSources {
  const sources: EnvSources = { configMaps: [], secrets: [] };
  for (const source of asArray(container['envFrom'])) {
    const configMap = at(source, 'configMapRef', 'name');
    const secret = at(source, 'secretRef', 'name');
    if (typeof configMap === 'string') sources.configMaps.push(configMap);
    if (typeof secret === 'string') sources.secrets.push(secret);
  }
  return sources;
}

/** A generated name is `<base>-<10 char hash>`; referenced (external) Secrets keep their plain name. */
const baseName = (name: string): string => name.replace(/-[a-z0-9]{10}$/, '');

/** Pod and container hardening every GISBI workload must have. */
function checkPodSecurity(report: Report, workload: Manifest, spec: Record<string, unknown>): void {
  if (at(spec, 'securityContext', 'runAsNonRoot') !== true) report(workload, 'pod must run as non-root', 'securityContext.runAsNonRoot');
  if (at(spec, 'securityContext', 'seccompProfile', 'type') !== 'RuntimeDefault') report(workload, 'pod must use the RuntimeDefault seccomp profile');
  if (spec['automountServiceAccountToken'] !== false) report(workload, 'the apps never call the Kubernetes API: automountServiceAccountToken must be false');
  for (const container of containers(spec)) {
    const where = `containers[${String(container['name'])}]`;
    if (at(container, 'securityContext', 'readOnlyRootFilesystem') !== true) report(workload, 'read-only root filesystem required', where);
    if (at(container, 'securityContext', 'allowPrivilegeEscalation') !== false) report(workload, 'allowPrivilegeEscalation must be false', where);
    if (!asArray(at(container, 'securityContext', 'capabilities', 'drop')).includes('ALL')) report(workload, 'capabilities must drop ALL', where);
    for (const kind of ['requests', 'limits'] as const) {
      for (const resource of ['cpu', 'memory'] as const) {
        if (at(container, 'resources', kind, resource) === undefined) report(workload, `resources.${kind}.${resource} missing`, where);
      }
    }
  }
}

function checkImage(report: Report, workload: Manifest, image: unknown, env: Environment, app: string): void {
  if (typeof image !== 'string') return report(workload, 'container without image');
  const [withTag = '', digest] = image.split('@');
  const tagMatch = /:([A-Za-z0-9._-]+)$/.exec(withTag);
  const repository = tagMatch ? withTag.slice(0, -tagMatch[0].length) : withTag;
  const tag = tagMatch?.[1];
  if (!repository.endsWith(`/${app}`)) report(workload, `image ${image} is not the ${app} image`);
  if (!tag && !digest) report(workload, `image ${image} has no tag`);
  if (tag === 'latest') report(workload, `image ${image}: "latest" is not a release`);
  if (env !== 'local' && tag === 'dev') report(workload, `image ${image}: the "dev" tag is for local clusters only`);
}

function sleepSeconds(container: Record<string, unknown>): number | undefined {
  const command = asArray(at(container, 'lifecycle', 'preStop', 'exec', 'command'));
  if (command.length === 2 && command[0] === 'sleep') return Number(command[1]);
  const native = at(container, 'lifecycle', 'preStop', 'sleep', 'seconds');
  return typeof native === 'number' ? native : undefined;
}

function probePath(container: Record<string, unknown>, probe: string): unknown {
  return at(container, probe, 'httpGet', 'path');
}

/** Rules for the apps root of an overlay (everything but the migration Jobs). */
export function checkApps(source: string, env: Environment, manifests: Manifest[], problems: Problem[]): void {
  const report = reporter(source, problems);
  const policies = byKind(manifests, 'NetworkPolicy');

  const defaultDeny = policies.find(
    (policy) => Object.keys(asStringRecord(at(policy, 'spec', 'podSelector', 'matchLabels'))).length === 0 &&
      at(policy, 'spec', 'podSelector', 'matchExpressions') === undefined &&
      asArray(at(policy, 'spec', 'policyTypes')).includes('Ingress') && asArray(at(policy, 'spec', 'policyTypes')).includes('Egress') &&
      at(policy, 'spec', 'ingress') === undefined && at(policy, 'spec', 'egress') === undefined,
  );
  if (!defaultDeny) report(undefined, 'no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');

  for (const app of APPS) {
    const name = `gisbi-${app.name}`;
    const deployment = named(manifests, 'Deployment', name);
    if (!deployment) {
      report(undefined, `Deployment ${name} missing`);
      continue;
    }
    const { labels, spec } = podTemplate(deployment);
    const selector = asStringRecord(at(deployment, 'spec', 'selector', 'matchLabels'));
    if (!selects(selector, labels)) report(deployment, 'selector does not match the pod template labels');
    checkPodSecurity(report, deployment, spec);

    const main = containers(spec).find((container) => container['name'] === app.name);
    if (!main) {
      report(deployment, `no container named ${app.name}`);
      continue;
    }
    checkImage(report, deployment, main['image'], env, app.name);
    const sources = envSources(main);
    const { http, management } = portsOf(app);
    const containerPorts = asArray(main['ports']).filter(isRecord);
    for (const port of new Set([http, management])) {
      const declared = containerPorts.find((candidate) => candidate['name'] === port.name);
      if (declared?.['containerPort'] !== port.number) report(deployment, `container port "${port.name}" must be ${port.number}`);
      if (configValue(manifests, sources.configMaps, port.setting) !== String(port.number)) report(deployment, `${port.setting} from its ConfigMaps must be ${port.number}`);
    }
    if (probePath(main, 'readinessProbe') !== '/health/ready') report(deployment, 'readinessProbe must GET /health/ready (checks NATS, database, Redis)');
    if (probePath(main, 'livenessProbe') !== '/health/live') report(deployment, 'livenessProbe must GET /health/live (process only)');
    if (!isRecord(main['startupProbe'])) report(deployment, 'startupProbe missing');
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const port = at(main, probe, 'httpGet', 'port');
      if (port !== undefined && !isPort(port, management)) report(deployment, `${probe} targets port ${String(port)}, not the app's health port "${management.name}"`);
    }
    const scrapePort = asStringRecord(at(deployment, 'spec', 'template', 'metadata', 'annotations'))['prometheus.io/port'];
    if (scrapePort !== String(management.number)) report(deployment, `prometheus.io/port is ${String(scrapePort)}, not the port serving /metrics (${management.number})`);

    for (const configMap of sources.configMaps) {
      if (!named(manifests, 'ConfigMap', configMap)) report(deployment, `envFrom ConfigMap ${configMap} is not part of the render`);
    }
    const secrets = sources.secrets.map(baseName);
    if (secrets.includes(`gisbi-${app.name}-database`) !== app.database) report(deployment, `${app.database ? 'needs' : 'must not get'} the Secret gisbi-${app.name}-database`);
    if (secrets.includes('gisbi-redis') !== app.redis) report(deployment, `${app.redis ? 'needs' : 'must not get'} the Secret gisbi-redis`);
    if (env === 'local') {
      for (const secret of sources.secrets) if (!named(manifests, 'Secret', secret)) report(deployment, `Secret ${secret} is not generated by the local overlay`);
    } else {
      for (const secret of sources.secrets) if (named(manifests, 'Secret', secret)) report(deployment, `Secret ${secret} is committed: ${env} secrets must only be referenced`);
    }
    if (at(main, 'env') !== undefined && asArray(at(main, 'env')).some((item) => at(item, 'valueFrom') === undefined && /SECRET|PASSWORD|KEY/.test(String(at(item, 'name'))))) {
      report(deployment, 'a secret value written into env');
    }

    // Network access is granted by labels; a pod must carry exactly the ones of what it uses.
    const expectLabel = (label: string, expected: boolean) => {
      if ((labels[label] === 'true') !== expected) report(deployment, `pod label ${label} must be ${expected ? '"true"' : 'absent'}`);
    };
    expectLabel('gisbi.io/nats-client', true);
    expectLabel('gisbi.io/postgres-client', app.database);
    expectLabel('gisbi.io/redis-client', app.redis);

    // Draining: preStop sleep + SHUTDOWN_GRACE_MS must fit in the termination grace period.
    const grace = spec['terminationGracePeriodSeconds'];
    const sleep = sleepSeconds(main);
    const shutdownMs = Number(configValue(manifests, sources.configMaps, 'SHUTDOWN_GRACE_MS') ?? '10000');
    if (sleep === undefined || !(sleep > 0)) report(deployment, 'preStop must sleep a few seconds so endpoints stop routing before SIGTERM');
    if (typeof grace !== 'number') report(deployment, 'terminationGracePeriodSeconds missing');
    else if (sleep !== undefined && grace < sleep + shutdownMs / 1000 + 5) {
      report(deployment, `terminationGracePeriodSeconds ${grace} < preStop ${sleep} s + SHUTDOWN_GRACE_MS ${shutdownMs} ms + 5 s margin`);
    }
    if (configValue(manifests, sources.configMaps, 'MIGRATIONS_RUN') !== 'false') report(deployment, 'MIGRATIONS_RUN must be false: migrations run as Jobs');

    const serviceAccount = spec['serviceAccountName'];
    if (typeof serviceAccount !== 'string' || !named(manifests, 'ServiceAccount', serviceAccount)) report(deployment, 'its ServiceAccount is not part of the render');

    const service = byKind(manifests, 'Service').find((candidate) => selects(asStringRecord(at(candidate, 'spec', 'selector')), labels));
    if (!service) report(deployment, 'no Service selects its pods');
    else if (!asArray(at(service, 'spec', 'ports')).some((port) => at(port, 'targetPort') === 'http' || at(port, 'targetPort') === app.port)) {
      report(service, `no port targets the ${app.name} container port`);
    }

    const hpa = byKind(manifests, 'HorizontalPodAutoscaler').find((candidate) => at(candidate, 'spec', 'scaleTargetRef', 'kind') === 'Deployment' && at(candidate, 'spec', 'scaleTargetRef', 'name') === name);
    if (!hpa) report(deployment, 'no HorizontalPodAutoscaler targets it');
    else {
      if (at(deployment, 'spec', 'replicas') !== undefined) report(deployment, 'spec.replicas is set although an HPA owns the replica count');
      const min = Number(at(hpa, 'spec', 'minReplicas'));
      const max = Number(at(hpa, 'spec', 'maxReplicas'));
      if (!(max >= min)) report(hpa, 'maxReplicas below minReplicas');
      if (env !== 'local' && !(min >= 2)) report(hpa, `${env} runs at least 2 replicas of every app (minReplicas ${min})`);
    }

    const pdb = byKind(manifests, 'PodDisruptionBudget').find((candidate) => selects(asStringRecord(at(candidate, 'spec', 'selector', 'matchLabels')), labels));
    if (!pdb) report(deployment, 'no PodDisruptionBudget selects its pods');
    else if (env !== 'local' && at(pdb, 'spec', 'minAvailable') !== 1) report(pdb, `${env}: minAvailable must be 1`);

    const ownPolicy = policies.find((policy) => selects(asStringRecord(at(policy, 'spec', 'podSelector', 'matchLabels')), labels) && asArray(at(policy, 'spec', 'policyTypes')).includes('Ingress'));
    if (!ownPolicy) report(deployment, 'no NetworkPolicy governs ingress to its pods');
    else {
      const scraped = portsAdmitted(ownPolicy, inNamespace('monitoring'));
      if (scraped.length === 0 || !scraped.every((port) => isPort(port, management))) {
        report(ownPolicy, `admits Prometheus (monitoring) to ${scraped.map(String).join(', ') || 'no port'}: it must reach "${management.name}" only`);
      }
    }
  }

  checkPublicExposure(report, manifests, policies);
  checkInfrastructureAccess(report, policies);
  checkIngress(report, manifests);
}

/**
 * Only the gateway is reachable from outside, on its public port only: no other Service is exposed, no
 * other pod admits the ingress controller, and the gateway admits it to "http" alone (not to its health
 * and metrics).
 */
function checkPublicExposure(report: Report, manifests: Manifest[], policies: Manifest[]): void {
  for (const service of byKind(manifests, 'Service')) {
    const type = at(service, 'spec', 'type');
    if (type !== undefined && type !== 'ClusterIP') report(service, `type ${String(type)}: only the Ingress is public`);
  }
  for (const policy of policies) {
    const publicPorts = portsAdmitted(policy, outsideTheNamespace);
    if (publicPorts.length === 0) continue;
    if (asStringRecord(at(policy, 'spec', 'podSelector', 'matchLabels'))['app.kubernetes.io/name'] !== 'gisbi-gateway') {
      report(policy, 'admits traffic from outside the namespace to something other than the gateway');
    } else if (!publicPorts.every((port) => isPort(port, portsOf(GATEWAY).http))) {
      report(policy, `admits traffic from outside the namespace to ${publicPorts.map(String).join(', ')}: only "http" is public`);
    }
  }
}

/** NATS, Postgres and Redis admit their clients by label only, and the right label. */
function checkInfrastructureAccess(report: Report, policies: Manifest[]): void {
  const servers: Array<{ policy: string; clientLabel: string; port: number }> = [
    { policy: 'nats-server', clientLabel: 'gisbi.io/nats-client', port: 4222 },
    { policy: 'postgres-server', clientLabel: 'gisbi.io/postgres-client', port: 5432 },
    { policy: 'redis-server', clientLabel: 'gisbi.io/redis-client', port: 6379 },
  ];
  for (const server of servers) {
    const policy = policies.find((candidate) => candidate.metadata.name === server.policy);
    if (!policy) {
      report(undefined, `NetworkPolicy ${server.policy} missing`);
      continue;
    }
    for (const rule of asArray(at(policy, 'spec', 'ingress'))) {
      const ports = asArray(at(rule, 'ports')).map((port) => at(port, 'port'));
      if (!ports.includes(server.port)) continue;
      for (const peer of asArray(at(rule, 'from'))) {
        const labels = asStringRecord(at(peer, 'podSelector', 'matchLabels'));
        const fromClients = labels[server.clientLabel] === 'true';
        const fromOwnPods = policyPods(policy, labels);
        const fromOperator = at(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name') === 'cnpg-system';
        if (!fromClients && !fromOwnPods && !fromOperator) report(policy, `port ${server.port} is open to a peer other than ${server.clientLabel} pods`);
      }
      if (asArray(at(rule, 'from')).length === 0) report(policy, `port ${server.port} is open to everyone`);
    }
  }
}

function policyPods(policy: Manifest, labels: Record<string, string>): boolean {
  const own = asStringRecord(at(policy, 'spec', 'podSelector', 'matchLabels'));
  return Object.keys(labels).length > 0 && Object.entries(own).every(([key, value]) => labels[key] === value);
}

function checkIngress(report: Report, manifests: Manifest[]): void {
  const ingresses = byKind(manifests, 'Ingress');
  if (ingresses.length !== 1) report(undefined, `expected exactly one Ingress (the gateway), found ${ingresses.length}`);
  for (const ingress of ingresses) {
    const annotations = ingress.metadata.annotations ?? {};
    for (const key of ['nginx.ingress.kubernetes.io/proxy-read-timeout', 'nginx.ingress.kubernetes.io/proxy-send-timeout']) {
      if (!(Number(annotations[key]) >= 3600)) report(ingress, `${key} must be at least 3600 s for WebSockets`);
    }
    const paths = asArray(at(ingress, 'spec', 'rules')).flatMap((rule) => asArray(at(rule, 'http', 'paths')));
    if (!paths.some((item) => at(item, 'path') === '/ws')) report(ingress, 'no path for /ws');
    for (const item of paths) {
      const serviceName = at(item, 'backend', 'service', 'name');
      const portName = at(item, 'backend', 'service', 'port', 'name');
      const service = typeof serviceName === 'string' ? named(manifests, 'Service', serviceName) : undefined;
      const servicePort = asArray(at(service, 'spec', 'ports')).find((port) => at(port, 'name') === portName);
      if (serviceName !== 'gisbi-gateway' || !service) report(ingress, `path ${String(at(item, 'path'))} must go to the gisbi-gateway Service`);
      else if (!servicePort) report(ingress, `Service gisbi-gateway has no port ${String(portName)}`);
      else if (!isPort(at(servicePort, 'targetPort'), portsOf(GATEWAY).http)) {
        report(ingress, `path ${String(at(item, 'path'))} leads to the gateway's port ${String(at(servicePort, 'targetPort'))}, not its public port "http"`);
      }
    }
  }
}

/** Rules for the migrations root of an overlay; `apps` is the same overlay's apps render. */
export function checkMigrations(source: string, env: Environment, manifests: Manifest[], apps: Manifest[] | undefined, problems: Problem[]): void {
  const report = reporter(source, problems);
  const jobs = byKind(manifests, 'Job');
  for (const app of APPS) {
    const job = named(manifests, 'Job', `gisbi-${app.name}-migrate`);
    if (!app.database) {
      if (job) report(job, `${app.name} has no database to migrate`);
      continue;
    }
    if (!job) {
      report(undefined, `Job gisbi-${app.name}-migrate missing`);
      continue;
    }
    const { labels, spec } = podTemplate(job);
    checkPodSecurity(report, job, spec);
    if (spec['restartPolicy'] !== 'Never') report(job, 'restartPolicy must be Never (the Job retries with backoffLimit)');
    if (typeof at(job, 'spec', 'backoffLimit') !== 'number') report(job, 'backoffLimit missing');
    if (labels['gisbi.io/postgres-client'] !== 'true') report(job, 'its pods need the gisbi.io/postgres-client label to reach Postgres');
    const [container] = containers(spec);
    if (!container || containers(spec).length !== 1) {
      report(job, 'expected exactly one container');
      continue;
    }
    const args = asArray(container['args']);
    if (args.length !== 1 || args[0] !== 'migrate' || container['command'] !== undefined) report(job, 'must run the image entry point with the single argument "migrate"');
    checkImage(report, job, container['image'], env, app.name);
    const sources = envSources(container);
    if (!sources.secrets.map(baseName).includes(`gisbi-${app.name}-database`)) report(job, `needs the Secret gisbi-${app.name}-database`);
    const deployment = apps ? named(apps, 'Deployment', `gisbi-${app.name}`) : undefined;
    if (apps && deployment) {
      const main = containers(podTemplate(deployment).spec).find((candidate) => candidate['name'] === app.name);
      if (main?.['image'] !== container['image']) report(job, `image ${String(container['image'])} differs from the Deployment's ${String(main?.['image'])}`);
      const deploymentSources = main ? envSources(main) : { configMaps: [], secrets: [] };
      for (const name of [...deploymentSources.configMaps, ...deploymentSources.secrets]) {
        if (baseName(name) === 'gisbi-redis') continue;
        if (![...sources.configMaps, ...sources.secrets].includes(name)) report(job, `does not get ${name}, which the service's configuration is validated with`);
      }
    }
  }
  for (const job of jobs) {
    if (!APPS.some((app) => job.metadata.name === `gisbi-${app.name}-migrate`)) report(job, 'unexpected Job');
  }
}

/** Sum over the database services of maxReplicas x DATABASE_POOL_SIZE must fit Postgres max_connections. */
export function checkConnectionBudget(source: string, apps: Manifest[], cluster: Manifest | undefined, problems: Problem[]): void {
  const report = reporter(source, problems);
  if (!cluster) return report(undefined, 'no CloudNativePG Cluster to compare the connection budget with');
  const maxConnections = Number(at(cluster, 'spec', 'postgresql', 'parameters', 'max_connections'));
  let total = 0;
  for (const app of APPS.filter((candidate) => candidate.database)) {
    const hpa = named(apps, 'HorizontalPodAutoscaler', `gisbi-${app.name}`);
    const deployment = named(apps, 'Deployment', `gisbi-${app.name}`);
    const main = deployment ? containers(podTemplate(deployment).spec).find((candidate) => candidate['name'] === app.name) : undefined;
    const pool = Number((main ? configValue(apps, envSources(main).configMaps, 'DATABASE_POOL_SIZE') : undefined) ?? '10');
    total += Number(at(hpa, 'spec', 'maxReplicas')) * pool;
  }
  if (!(total + POSTGRES_RESERVED_CONNECTIONS <= maxConnections)) {
    report(cluster, `services may open ${total} connections at full scale (+${POSTGRES_RESERVED_CONNECTIONS} reserved) but max_connections is ${maxConnections}`);
  }
}
