/**
 * src/posture/types.ts and posture.schema.json describe the same document: this walks both from
 * the root (the `Posture` interface and the schema) and fails on any field one has and the other
 * has not, a field optional in one and required in the other, or a disagreement on its JSON types
 * or its allowed literal values.
 */
import assert from 'assert';
import path from 'path';
import ts from 'typescript';
import schema from '../../src/posture/posture.schema.json';

type SchemaNode = boolean | { [keyword: string]: unknown };
type Definitions = Record<string, SchemaNode>;

/** What a value may be, in JSON terms: its kinds, and its literals when it is only literals. */
interface Shape {
  kinds: Set<string>;
  literals: Set<string> | null;
}

const TYPES_FILE = path.join(__dirname, '..', '..', 'src', 'posture', 'types.ts');

function schemaNode(node: SchemaNode): Record<string, unknown> {
  return typeof node === 'object' ? node : {};
}

/** A schema node with its $ref followed and its allOf parts merged into its properties and required. */
function resolve(node: SchemaNode, definitions: Definitions): Record<string, unknown> {
  let current = schemaNode(node);
  while (typeof current.$ref === 'string') current = schemaNode(definitions[current.$ref.replace('#/definitions/', '')]);
  if (!Array.isArray(current.allOf)) return current;
  const merged: Record<string, unknown> = { ...current, required: [...((current.required as string[]) ?? [])] };
  delete merged.allOf;
  for (const part of current.allOf as SchemaNode[]) {
    const base = resolve(part, definitions);
    if (base.properties) merged.properties = { ...(merged.properties as object) };
    for (const [field, fieldSchema] of Object.entries((base.properties as Record<string, SchemaNode>) ?? {})) {
      const own = (merged.properties as Record<string, SchemaNode>)[field];
      if (own === undefined || own === true) (merged.properties as Record<string, SchemaNode>)[field] = fieldSchema;
    }
    (merged.required as string[]).push(...((base.required as string[]) ?? []));
    for (const keyword of ['type', 'additionalProperties']) if (merged[keyword] === undefined) merged[keyword] = base[keyword];
  }
  return merged;
}

function schemaShape(node: SchemaNode, definitions: Definitions): Shape {
  const resolved = resolve(node, definitions);
  const alternatives = (resolved.anyOf ?? resolved.oneOf) as SchemaNode[] | undefined;
  if (alternatives) {
    const shapes = alternatives.map((alternative) => schemaShape(alternative, definitions));
    return {
      kinds: new Set(shapes.flatMap((shape) => [...shape.kinds])),
      literals: shapes.some((shape) => shape.kinds.has('string') && !shape.literals) ? null : new Set(shapes.flatMap((shape) => [...(shape.literals ?? [])])),
    };
  }
  const values = resolved.enum ?? (resolved.const !== undefined ? [resolved.const] : undefined);
  if (Array.isArray(values)) {
    return { kinds: new Set(values.map((value) => (value === null ? 'null' : typeof value))), literals: new Set(values.filter((value) => value !== null).map(String)) };
  }
  const types = resolved.type === undefined ? [] : Array.isArray(resolved.type) ? (resolved.type as string[]) : [resolved.type as string];
  return { kinds: new Set(types.map((type) => (type === 'integer' ? 'number' : type))), literals: null };
}

function typeShape(type: ts.Type, checker: ts.TypeChecker): Shape {
  const parts = type.isUnion() ? type.types : [type];
  const kinds = new Set<string>();
  const literals = new Set<string>();
  let onlyLiterals = true;
  for (const part of parts) {
    if (part.flags & ts.TypeFlags.Undefined) continue;
    if (part.flags & ts.TypeFlags.Null) kinds.add('null');
    else if (part.flags & ts.TypeFlags.BooleanLiteral) {
      kinds.add('boolean');
      onlyLiterals = false;
    } else if (part.isStringLiteral()) {
      kinds.add('string');
      literals.add(part.value);
    } else if (part.isNumberLiteral()) {
      kinds.add('number');
      literals.add(String(part.value));
    } else if (part.flags & ts.TypeFlags.String) {
      kinds.add('string');
      onlyLiterals = false;
    } else if (part.flags & ts.TypeFlags.Number) {
      kinds.add('number');
      onlyLiterals = false;
    } else if (checker.isArrayType(part)) {
      kinds.add('array');
      onlyLiterals = false;
    } else if (part.flags & ts.TypeFlags.Object) {
      kinds.add('object');
      onlyLiterals = false;
    } else throw new Error(`unexpected type ${checker.typeToString(part)}`);
  }
  return { kinds, literals: onlyLiterals ? literals : null };
}

function nonNullPart(type: ts.Type, predicate: (part: ts.Type) => boolean): ts.Type | undefined {
  return (type.isUnion() ? type.types : [type]).find(predicate);
}

/** Every disagreement between a TypeScript type and a schema node, by JSON path. */
function compare(type: ts.Type, node: SchemaNode, at: string, checker: ts.TypeChecker, definitions: Definitions, problems: string[]): void {
  if (node === true) return;
  const resolved = resolve(node, definitions);
  const fromSchema = schemaShape(node, definitions);
  const fromType = typeShape(type, checker);
  const kinds = (shape: Shape): string => [...shape.kinds].sort().join('|');
  // A const or enum of one kind the schema states, where TypeScript may say only the kind.
  if (kinds(fromSchema) !== kinds(fromType) && fromSchema.kinds.size > 0) {
    problems.push(`${at}: schema ${kinds(fromSchema)}, types.ts ${kinds(fromType)} (${checker.typeToString(type)})`);
  }
  if (fromSchema.literals && fromSchema.literals.size > 0) {
    const expected = [...fromSchema.literals].sort().join(', ');
    const actual = fromType.literals ? [...fromType.literals].sort().join(', ') : `any ${kinds(fromType)}`;
    if (expected !== actual) problems.push(`${at}: schema allows ${expected}; types.ts ${actual}`);
  }
  const alternatives = (resolved.anyOf ?? resolved.oneOf) as SchemaNode[] | undefined;
  if (alternatives) {
    const objectSchema = alternatives.find((alternative) => resolve(alternative, definitions).properties);
    const objectType = nonNullPart(type, (part) => Boolean(part.flags & ts.TypeFlags.Object));
    if (objectSchema && objectType) compare(objectType, objectSchema, at, checker, definitions, problems);
    return;
  }
  if (resolved.items !== undefined) {
    const arrayType = nonNullPart(type, (part) => checker.isArrayType(part));
    if (arrayType) compare(checker.getTypeArguments(arrayType as ts.TypeReference)[0], resolved.items as SchemaNode, `${at}[]`, checker, definitions, problems);
  }
  const objectType = nonNullPart(type, (part) => Boolean(part.flags & ts.TypeFlags.Object) && !checker.isArrayType(part));
  if (!objectType) return;
  if (resolved.properties) {
    const properties = resolved.properties as Record<string, SchemaNode>;
    const required = new Set((resolved.required as string[]) ?? []);
    const members = new Map(checker.getPropertiesOfType(objectType).map((symbol) => [symbol.name, symbol]));
    for (const name of new Set([...Object.keys(properties), ...members.keys()])) {
      const member = members.get(name);
      if (!member) {
        problems.push(`${at}.${name}: in the schema, not in types.ts`);
        continue;
      }
      if (!(name in properties)) {
        problems.push(`${at}.${name}: in types.ts, not in the schema`);
        continue;
      }
      const optional = Boolean(member.flags & ts.SymbolFlags.Optional);
      if (optional === required.has(name)) problems.push(`${at}.${name}: ${required.has(name) ? 'required' : 'optional'} in the schema, ${optional ? 'optional' : 'required'} in types.ts`);
      compare(checker.getTypeOfSymbol(member), properties[name], `${at}.${name}`, checker, definitions, problems);
    }
  } else if (resolved.additionalProperties !== undefined && typeof resolved.additionalProperties === 'object') {
    // A map (the `unknown` reasons): its values.
    const values = checker.getIndexInfosOfType(objectType).find((info) => info.keyType.flags & ts.TypeFlags.String);
    if (!values) problems.push(`${at}: a map in the schema, not in types.ts`);
    else compare(values.type, resolved.additionalProperties as SchemaNode, `${at}{}`, checker, definitions, problems);
  }
}

describe('posture types.ts and posture.schema.json', () => {
  const program = ts.createProgram([TYPES_FILE], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(TYPES_FILE) as ts.SourceFile;
  const declared = new Map<string, ts.Type>();
  ts.forEachChild(source, (node) => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) declared.set(node.name.text, checker.getTypeAtLocation(node.name));
  });
  const definitions = schema.definitions as unknown as Definitions;

  it('agree on every field of the document, its optionality, JSON types and literals', () => {
    const problems: string[] = [];
    compare(declared.get('Posture') as ts.Type, schema as unknown as SchemaNode, 'posture', checker, definitions, problems);
    assert.deepStrictEqual(problems, []);
  });

  it('name each object kind of the schema with an interface of the same name', () => {
    const pascal = (name: string): string => name.replace(/(^|_)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
    const kinds = Object.keys(definitions).filter((name) => resolve(definitions[name], definitions).properties && name !== 'base');
    assert.deepStrictEqual(kinds.filter((name) => !declared.has(pascal(name))), []);
  });

  it('finds a field that types.ts lacks (the walk is not vacuous)', () => {
    const problems: string[] = [];
    const changed = structuredClone(definitions);
    (schemaNode(changed.kms_key).properties as Record<string, SchemaNode>).alias = { type: 'string' };
    (schemaNode(changed.kms_key).required as string[]).push('alias');
    compare(declared.get('Posture') as ts.Type, { ...schema, definitions: changed } as unknown as SchemaNode, 'posture', checker, changed, problems);
    assert.deepStrictEqual(problems, ['posture.kms_keys[].alias: in the schema, not in types.ts']);
  });
});
