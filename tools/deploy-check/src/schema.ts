import path from 'node:path';
import ts from 'typescript';
import { at, isRecord, resourceId, type Manifest, type Problem } from './problems';

/**
 * Validation against the Kubernetes API schemas, offline, from the npm package "kubernetes-models"
 * (generated from the Kubernetes OpenAPI specification):
 *  1. its JSON-Schema validators (types, required fields, enums, formats such as quantities), and
 *  2. its TypeScript interfaces, which the TypeScript compiler uses for a strict check: an unknown
 *     field (`livenesProbe`, `terminationGracePeriod`) is an error, as with `kubeconform -strict`.
 * Custom resources of the operators we configure are checked against the fields we rely on.
 */
export function modulePath(manifest: Manifest): string | undefined {
  if (!/^[A-Za-z]+$/.test(manifest.kind) || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(manifest.apiVersion)) return undefined;
  return `kubernetes-models/${manifest.apiVersion}/${manifest.kind}`;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** The model class of an apiVersion/kind (the module is chosen at run time, hence the dynamic import). */
async function loadModel(specifier: string, workspaceRoot: string): Promise<ModelClass | undefined> {
  let resolved: string;
  try {
    resolved = require.resolve(specifier, { paths: [workspaceRoot] });
  } catch {
    return undefined;
  }
  const loaded: unknown = await import(resolved);
  const candidate = isRecord(loaded) ? loaded[specifier.split('/').pop() ?? ''] : undefined;
  return typeof candidate === 'function' ? (candidate as ModelClass) : undefined;
}

/** Custom resources: apiVersion/kind -> fields that must be present and the spec fields allowed. */
const CUSTOM_RESOURCES: Record<string, { required: string[][]; specFields: string[] }> = {
  'postgresql.cnpg.io/v1/Cluster': {
    required: [['spec', 'instances'], ['spec', 'storage', 'size']],
    // CloudNativePG ClusterSpec (api/v1/cluster_types.go).
    specFields: [
      'affinity', 'backup', 'bootstrap', 'certificates', 'description', 'enablePDB', 'enableSuperuserAccess', 'env',
      'envFrom', 'ephemeralVolumeSource', 'ephemeralVolumesSizeLimit', 'externalClusters', 'failoverDelay',
      'imageCatalogRef', 'imageName', 'imagePullPolicy', 'imagePullSecrets', 'inheritedMetadata', 'instances',
      'livenessProbeTimeout', 'logLevel', 'managed', 'maxSyncReplicas', 'minSyncReplicas', 'monitoring',
      'nodeMaintenanceWindow', 'plugins', 'postgresGID', 'postgresUID', 'postgresql', 'primaryUpdateMethod',
      'primaryUpdateStrategy', 'priorityClassName', 'probes', 'projectedVolumeTemplate', 'replica', 'replicationSlots',
      'resources', 'schedulerName', 'seccompProfile', 'serviceAccountTemplate', 'smartShutdownTimeout', 'startDelay',
      'stopDelay', 'storage', 'superuserSecret', 'switchoverDelay', 'tablespaces', 'topologySpreadConstraints',
      'walStorage',
    ],
  },
};

export interface TypedManifest {
  manifest: Manifest;
  specifier: string;
}

/** JSON-Schema validation; returns the built-in resources for the strict check ({@link strictFieldCheck}). */
export async function validateSchemas(source: string, manifests: Manifest[], workspaceRoot: string, problems: Problem[]): Promise<TypedManifest[]> {
  const typed: TypedManifest[] = [];
  for (const manifest of manifests) {
    const custom = CUSTOM_RESOURCES[`${manifest.apiVersion}/${manifest.kind}`];
    if (custom) {
      validateCustomResource(source, manifest, custom, problems);
      continue;
    }
    const specifier = modulePath(manifest);
    const Model = specifier ? await loadModel(specifier, workspaceRoot) : undefined;
    if (!specifier || !Model) {
      problems.push({ source, resource: resourceId(manifest), message: `no schema for ${manifest.apiVersion} ${manifest.kind}` });
      continue;
    }
    try {
      new Model(apiServerView(manifest)).validate();
    } catch (error) {
      problems.push({ source, resource: resourceId(manifest), message: error instanceof Error ? error.message : String(error) });
    }
    typed.push({ manifest, specifier });
  }
  return typed;
}

/** kustomize wraps long base64 Secret data over lines; the API server's decoder ignores line breaks. */
function apiServerView(manifest: Manifest): Manifest {
  const data = manifest['data'];
  if (manifest.kind !== 'Secret' || !isRecord(data)) return manifest;
  const unwrapped = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, typeof value === 'string' ? value.replace(/\s+/g, '') : value]));
  return { ...manifest, data: unwrapped };
}

function validateCustomResource(source: string, manifest: Manifest, rule: { required: string[][]; specFields: string[] }, problems: Problem[]): void {
  for (const fieldPath of rule.required) {
    if (at(manifest, ...fieldPath) === undefined) problems.push({ source, resource: resourceId(manifest), path: fieldPath.join('.'), message: 'is required' });
  }
  const spec = manifest['spec'];
  if (isRecord(spec)) {
    for (const key of Object.keys(spec)) {
      if (!rule.specFields.includes(key)) problems.push({ source, resource: resourceId(manifest), path: `spec.${key}`, message: 'unknown field' });
    }
  }
}

/**
 * Type-checks every manifest as an object literal of its kubernetes-models interface: one generated
 * source per rendered root, all in one TypeScript program (the type declarations are parsed once).
 */
export function strictFieldCheck(roots: Array<{ source: string; typed: TypedManifest[] }>, workspaceRoot: string, problems: Problem[]): void {
  const files = new Map<string, { source: string; typed: TypedManifest[]; text: string }>();
  for (const { source, typed } of roots) {
    if (typed.length === 0) continue;
    const lines = typed.map(({ manifest, specifier }, index) => `import type { I${manifest.kind} as T${index} } from '${specifier}';`);
    typed.forEach(({ manifest }, index) => lines.push(`export const r${index}: T${index} = ${JSON.stringify(manifest, null, 1)};`));
    // Never written: the path only anchors module resolution in the workspace's node_modules.
    files.set(path.join(workspaceRoot, 'tmp', 'deploy-check', `${source.replace(/[^A-Za-z0-9]+/g, '-')}.ts`), { source, typed, text: lines.join('\n') });
  }
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseNone;
  const sourceFiles = new Map([...files].map(([fileName, file]) => [fileName, ts.createSourceFile(fileName, file.text, ts.ScriptTarget.ES2022, true)]));
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => sourceFiles.get(name) ?? getSourceFile(name, languageVersion, onError, shouldCreate);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name)?.text ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  for (const [fileName, sourceFile] of sourceFiles) {
    const file = files.get(fileName);
    if (!file) continue;
    for (const diagnostic of ts.getPreEmitDiagnostics(program, sourceFile)) {
      const located = diagnostic.start === undefined ? undefined : locate(sourceFile, diagnostic.start);
      const manifest = located ? file.typed[located.index]?.manifest : undefined;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n').pop() ?? '';
      problems.push({ source: file.source, resource: manifest ? resourceId(manifest) : undefined, path: located?.path, message: message.trim() });
    }
  }
}

/** The manifest index and the JSON path of the node at `position` in the generated source. */
function locate(sourceFile: ts.SourceFile, position: number): { index: number; path: string } | undefined {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child: ts.Node | undefined = node.getChildren(sourceFile).find((candidate) => candidate.getStart(sourceFile) <= position && position < candidate.getEnd());
    if (!child) break;
    node = child;
  }
  const parts: string[] = [];
  let index = -1;
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    const parent: ts.Node | undefined = current.parent;
    if (ts.isPropertyAssignment(current) && ts.isStringLiteral(current.name)) parts.unshift(current.name.text);
    if (parent && ts.isArrayLiteralExpression(parent) && ts.isExpression(current)) parts.unshift(`[${parent.elements.indexOf(current)}]`);
    if (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name)) index = Number(current.name.text.slice(1));
  }
  return index < 0 ? undefined : { index, path: parts.join('.').replace(/\.\[/g, '[') };
}
