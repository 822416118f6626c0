// JSON Schema of the TypeScript types in libs/contracts (server event payloads, models, envelopes), read
// with the TypeScript compiler from the source itself, with each type's and field's doc comment as its
// description. Server payloads exist only as types, so this is how their schemas stay current.
import path from 'node:path';
import ts from 'typescript';
import { describedRef, orNull, type JsonSchema, type SchemaRegistry } from './json-schema';

export const CONTRACTS_SOURCE = 'libs/contracts/src';

/** The compiled view of libs/contracts: its exports and a type checker (the slow part, built once). */
export class ContractSource {
  readonly exported = new Map<string, ts.Symbol>();

  private constructor(
    readonly checker: ts.TypeChecker,
    readonly contractsDir: string,
    moduleSymbol: ts.Symbol,
  ) {
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      this.exported.set(symbol.name, target);
    }
  }

  static load(workspaceRoot: string): ContractSource {
    const contractsDir = path.join(workspaceRoot, CONTRACTS_SOURCE);
    const entry = path.join(contractsDir, 'index.ts');
    const program = ts.createProgram([entry], compilerOptions(workspaceRoot));
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(entry);
    const moduleSymbol = source ? checker.getSymbolAtLocation(source) : undefined;
    if (!moduleSymbol) throw new Error(`cannot read the exports of ${entry}`);
    return new ContractSource(checker, contractsDir, moduleSymbol);
  }
}

/** JSON Schemas of contract types, registered as components in `registry`. */
export class ContractTypes {
  private readonly checker: ts.TypeChecker;
  private readonly exported: ReadonlyMap<string, ts.Symbol>;
  private readonly contractsDir: string;
  private readonly unmapped: string[] = [];

  constructor(
    source: ContractSource,
    private readonly registry: SchemaRegistry,
  ) {
    this.checker = source.checker;
    this.exported = source.exported;
    this.contractsDir = source.contractsDir;
  }

  /** Types this tool could not turn into a schema. */
  problems(): string[] {
    return [...this.unmapped];
  }

  /** `$ref` (or inline schema) of an exported type, by name. */
  schemaOfExport(name: string): JsonSchema {
    return this.schemaOf(this.checker.getDeclaredTypeOfSymbol(this.symbol(name)));
  }

  /** The schema of every property of an exported interface (e.g. ServerEventMap), by property name. */
  propertySchemas(interfaceName: string): Map<string, JsonSchema> {
    const type = this.checker.getDeclaredTypeOfSymbol(this.symbol(interfaceName));
    const result = new Map<string, JsonSchema>();
    for (const property of this.checker.getPropertiesOfType(type)) {
      result.set(property.name, this.schemaOf(this.checker.getTypeOfSymbol(property)));
    }
    return result;
  }

  /**
   * Doc comments of the members of an exported interface or const object, keyed by property name
   * and, for const objects of string literals (ClientEvent), also by value.
   */
  memberDocs(name: string): Map<string, string> {
    const symbol = this.symbol(name);
    const type =
      symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class)
        ? this.checker.getDeclaredTypeOfSymbol(symbol)
        : this.checker.getTypeOfSymbol(symbol);
    const docs = new Map<string, string>();
    for (const property of this.checker.getPropertiesOfType(type)) {
      const doc = this.docOf(property);
      if (!doc) continue;
      docs.set(property.name, doc);
      const valueType = this.checker.getTypeOfSymbol(property);
      if (valueType.isStringLiteral()) docs.set(valueType.value, doc);
    }
    return docs;
  }

  /** Doc comment of an exported class and of its properties (for class-validator payload classes). */
  classDocs(name: string): { description?: string; properties: Map<string, string> } | undefined {
    const symbol = this.exported.get(name);
    if (!symbol || !(symbol.flags & ts.SymbolFlags.Class)) return undefined;
    const properties = new Map<string, string>();
    symbol.members?.forEach((member) => {
      const doc = this.docOf(member);
      if (doc) properties.set(String(member.escapedName), doc);
    });
    const description = this.docOf(symbol);
    return description ? { description, properties } : { properties };
  }

  private symbol(name: string): ts.Symbol {
    const symbol = this.exported.get(name);
    if (!symbol) throw new Error(`@gisbi/contracts exports no ${name}`);
    return symbol;
  }

  private schemaOf(type: ts.Type): JsonSchema {
    const named = this.namedIdentity(type);
    if (!named) return this.structure(type);
    return this.registry.refTo(named, named.name, () => {
      const schema = this.structure(type);
      const description = this.docOf(named);
      return description ? { description, ...schema } : schema;
    });
  }

  /** Interfaces, classes and non-generic aliases declared in the contracts get a component of their own. */
  private namedIdentity(type: ts.Type): ts.Symbol | undefined {
    if (type.aliasSymbol && !type.aliasTypeArguments?.length && this.isContractSymbol(type.aliasSymbol)) {
      return type.aliasSymbol;
    }
    const symbol = type.getSymbol();
    if (!symbol || !(type.flags & ts.TypeFlags.Object)) return undefined;
    if (
      !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) ||
      !this.isContractSymbol(symbol)
    ) {
      return undefined;
    }
    // A generic interface is named in its declared form only (`ServerEnvelope<T>`), not per instantiation.
    const reference = type as ts.TypeReference;
    const objectFlags = (type as ts.ObjectType).objectFlags;
    if (objectFlags & ts.ObjectFlags.Reference) {
      const typeArguments = this.checker.getTypeArguments(reference);
      if (typeArguments.some((argument) => !(argument.flags & ts.TypeFlags.TypeParameter))) return undefined;
    }
    return symbol;
  }

  private isContractSymbol(symbol: ts.Symbol): boolean {
    return (symbol.declarations ?? []).some((declaration) =>
      path.resolve(declaration.getSourceFile().fileName).startsWith(this.contractsDir + path.sep),
    );
  }

  private structure(type: ts.Type): JsonSchema {
    const flags = type.flags;
    if (flags & ts.TypeFlags.Any) {
      this.unmapped.push(`type ${this.checker.typeToString(type)} could not be resolved (any)`);
      return {};
    }
    if (flags & (ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) return {};
    if (flags & ts.TypeFlags.Never) return { not: {} };
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & ts.TypeFlags.String) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.Null) return { type: 'null' };
    if (type.isStringLiteral()) return { type: 'string', const: type.value };
    if (type.isNumberLiteral()) return { type: 'number', const: type.value };
    if (flags & ts.TypeFlags.BooleanLiteral)
      return { type: 'boolean', const: this.checker.typeToString(type) === 'true' };
    if (type.isUnion()) return this.union(type.types);
    if (this.checker.isTupleType(type)) return this.tuple(type as ts.TypeReference);
    if (this.checker.isArrayType(type)) {
      const [element] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: element ? this.schemaOf(element) : {} };
    }
    if (flags & ts.TypeFlags.Object || type.isIntersection()) return this.object(type);
    this.unmapped.push(`type ${this.checker.typeToString(type)} has no JSON Schema mapping`);
    return {};
  }

  private union(members: readonly ts.Type[]): JsonSchema {
    const present = members.filter(
      (member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)),
    );
    const nullable = present.some((member) => member.flags & ts.TypeFlags.Null);
    let rest = present.filter((member) => !(member.flags & ts.TypeFlags.Null));
    const booleans = rest.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    let schema: JsonSchema;
    if (booleans.length === 2) rest = rest.filter((member) => !(member.flags & ts.TypeFlags.BooleanLiteral));
    if (rest.length === 0 && booleans.length === 2) {
      schema = { type: 'boolean' };
    } else if (rest.length > 1 && rest.every((member) => member.isStringLiteral())) {
      schema = { type: 'string', enum: rest.map((member) => (member as ts.StringLiteralType).value) };
    } else if (rest.length > 1 && rest.every((member) => member.isNumberLiteral())) {
      schema = { type: 'number', enum: rest.map((member) => (member as ts.NumberLiteralType).value) };
    } else {
      const schemas = rest.map((member) => this.schemaOf(member));
      if (booleans.length === 2) schemas.push({ type: 'boolean' });
      schema = schemas.length === 1 ? (schemas[0] ?? {}) : { anyOf: schemas };
    }
    return nullable ? orNull(schema) : schema;
  }

  private tuple(type: ts.TypeReference): JsonSchema {
    const elements = this.checker.getTypeArguments(type);
    if (elements.length === 0) return { type: 'array', maxItems: 0 };
    return {
      type: 'array',
      items: elements.map((element) => this.schemaOf(element)),
      minItems: elements.length,
      additionalItems: false,
    };
  }

  private object(type: ts.Type): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const property of this.checker.getPropertiesOfType(type)) {
      if (property.flags & ts.SymbolFlags.Method) continue;
      const propertyType = this.checker.getTypeOfSymbol(property);
      if (propertyType.getCallSignatures().length > 0) continue;
      const schema = withTimestampFormat(property.name, this.schemaOf(propertyType));
      const description = this.docOf(property);
      properties[property.name] =
        schema.$ref !== undefined ? describedRef(schema, description) : withDescription(schema, description);
      if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
    }
    const schema: JsonSchema = { type: 'object' };
    if (Object.keys(properties).length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required;
    const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index)
      schema.additionalProperties = index.type.flags & ts.TypeFlags.Never ? false : this.schemaOf(index.type);
    return schema;
  }

  private docOf(symbol: ts.Symbol): string | undefined {
    const text = ts
      .displayPartsToString(symbol.getDocumentationComment(this.checker))
      .replace(/\s+/g, ' ')
      .trim();
    return text || undefined;
  }
}

/**
 * The contracts carry timestamps as ISO-8601 strings in fields named `...At` (createdAt, expiresAt, ...)
 * or `timestamp`; TypeScript sees only `string`, so the name supplies the format. Every example in the
 * document is checked against it.
 */
const TIMESTAMP_FIELD = /^(timestamp|[a-z][A-Za-z]*At)$/;

function withTimestampFormat(name: string, schema: JsonSchema): JsonSchema {
  if (!TIMESTAMP_FIELD.test(name)) return schema;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!types.includes('string') || schema.$ref !== undefined || schema.enum || schema.const !== undefined)
    return schema;
  return { ...schema, format: 'date-time' };
}

function withDescription(schema: JsonSchema, description: string | undefined): JsonSchema {
  return description ? { description, ...schema } : schema;
}

/** The workspace's own compiler options (tsconfig.base.json), so paths and libs resolve as in typecheck. */
function compilerOptions(workspaceRoot: string): ts.CompilerOptions {
  const configPath = path.join(workspaceRoot, 'tsconfig.base.json');
  const config = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  // Root files come from the caller; list none here so the workspace is not scanned.
  const json: unknown = { ...(config.config as object), files: [], include: [] };
  const parsed = ts.parseJsonConfigFileContent(json, ts.sys, workspaceRoot, undefined, configPath);
  // The contracts use no Node.js types; leaving @types/* out keeps the program small (an unresolved
  // type would surface as an `any` problem, never silently).
  return { ...parsed.options, noEmit: true, types: [] };
}
