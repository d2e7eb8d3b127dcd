// Reduces Logto's Management API OpenAPI document to the structure that
// tests/api/openapi_logto.rs compares connector-mock's document with.
//
// Source (one of):
//   default            the types that @logto/api (package.json pins the version) generates
//                      from Logto's own /api/.well-known/management.openapi.json with
//                      openapi-typescript: lib/generated-types/management.d.ts
//   --document FILE    a Logto OpenAPI document saved as JSON (e.g. `curl
//                      http://localhost:3001/api/swagger.json` against a running Logto)
//
// Output: --out FILE (default stdout); --check FILE exits 1 when FILE differs from the output. Only the paths under PREFIXES are kept; for each
// operation: operationId, summary, description, parameters (name, in, required, schema),
// request body (required, content types, schema) and responses (status, description, schema).
// A schema is reduced to type, nullable, enum (a one-value enum for a literal), properties,
// required, items, additionalProperties and oneOf (plus minLength, maxLength, minimum and
// maximum from a JSON document: the generated types do not carry them); descriptions,
// examples and formats are left out.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const PREFIXES = [
  '/api/connector-factories',
  '/api/connectors',
  '/api/email-templates',
  '/api/status',
  '/api/swagger.json',
  '/api/.well-known/management.openapi.json',
];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
};

const keep = (route) => PREFIXES.some((prefix) => route === prefix || route.startsWith(`${prefix}/`));

// ---------------------------------------------------------------------------------------
// From a JSON document.

const fromDocument = (file) => {
  const document = JSON.parse(fs.readFileSync(file, 'utf8'));
  const resolve = (node) => {
    if (node && typeof node === 'object' && typeof node.$ref === 'string') {
      const target = node.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((value, key) => value?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], document);
      if (target === undefined) throw new Error(`unresolved ${node.$ref}`);
      return resolve(target);
    }
    return node;
  };
  const schema = (node) => {
    const value = resolve(node) ?? {};
    const out = {};
    const variants = value.oneOf ?? value.anyOf;
    if (variants) out.oneOf = variants.map(schema);
    if (value.type) out.type = value.type;
    if (value.nullable) out.nullable = true;
    if (value.enum) out.enum = value.enum.filter((item) => item !== null);
    // Logto renders a zod literal as `{type: string, format: '"Select"'}`.
    if (typeof value.format === 'string' && /^".*"$/.test(value.format)) {
      out.enum = [JSON.parse(value.format)];
    }
    if (value.properties) {
      out.properties = Object.fromEntries(
        Object.entries(value.properties).map(([key, property]) => [key, schema(property)])
      );
    }
    if (value.required?.length) out.required = [...value.required].sort();
    if (value.items) out.items = schema(value.items);
    for (const key of ['minLength', 'maxLength', 'minimum', 'maximum']) {
      if (typeof value[key] === 'number') out[key] = value[key];
    }
    if (value.additionalProperties && typeof value.additionalProperties === 'object') {
      const extra = schema(value.additionalProperties);
      if (Object.keys(extra).length > 0) out.additionalProperties = extra;
    }
    return out;
  };
  const paths = {};
  for (const [route, item] of Object.entries(document.paths ?? {})) {
    if (!keep(route)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
        .map(resolve)
        .map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: Boolean(parameter.required),
          schema: schema(parameter.schema),
        }));
      const out = { operationId: operation.operationId, summary: operation.summary, description: operation.description, parameters };
      if (operation.requestBody) {
        const body = resolve(operation.requestBody);
        const types = Object.keys(body.content ?? {}).sort();
        out.requestBody = {
          required: Boolean(body.required),
          contentTypes: types,
          schema: schema(body.content?.['application/json']?.schema),
        };
      }
      out.responses = Object.fromEntries(
        Object.entries(operation.responses ?? {}).map(([status, response]) => {
          const value = resolve(response);
          const reduced = { description: value.description };
          const json = value.content?.['application/json'];
          if (json) reduced.schema = schema(json.schema);
          return [status, reduced];
        })
      );
      (paths[route] ??= {})[method] = out;
    }
  }
  return { source: `OpenAPI document ${path.basename(file)}`, paths };
};

// ---------------------------------------------------------------------------------------
// From @logto/api's generated types (openapi-typescript output).

const fromTypes = () => {
  const packageDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/@logto/api');
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDirectory, 'package.json'), 'utf8'));
  const file = path.join(packageDirectory, 'lib/generated-types/management.d.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

  const interfaces = new Map();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, statement);
  }
  const nameOf = (member) =>
    ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) || ts.isNumericLiteral(member.name)
      ? member.name.text
      : member.name.getText(source);
  const membersOf = (node) => {
    const map = new Map();
    for (const member of node.members ?? []) {
      if (ts.isPropertySignature(member)) map.set(nameOf(member), member);
    }
    return map;
  };
  const isNever = (type) => type?.kind === ts.SyntaxKind.NeverKeyword;
  const jsDoc = (node) => {
    const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    const comment = (value) => (typeof value === 'string' ? value : ts.getTextOfJSDocComment(value));
    const result = { text: docs.map((doc) => comment(doc.comment) ?? '').join('\n').trim(), tags: {} };
    for (const doc of docs) {
      for (const tag of doc.tags ?? []) result.tags[tag.tagName.text] = (comment(tag.comment) ?? '').trim();
    }
    return result;
  };
  const literalOf = (member) => {
    const format = /^Format: (".*")$/m.exec(jsDoc(member).text);
    return format ? JSON.parse(format[1]) : undefined;
  };

  // `components["parameters"]["x"]` and the like.
  const lookUp = (node) => {
    const keys = [];
    let current = node;
    while (ts.isIndexedAccessTypeNode(current)) {
      keys.unshift(current.indexType.literal.text);
      current = current.objectType;
    }
    let target = interfaces.get(current.typeName.text);
    for (const key of keys) target = membersOf(target).get(key).type;
    return target;
  };

  const schema = (type, member) => {
    if (!type) return {};
    switch (type.kind) {
      case ts.SyntaxKind.StringKeyword: {
        const literal = member && literalOf(member);
        return literal === undefined ? { type: 'string' } : { type: 'string', enum: [literal] };
      }
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'number' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.AnyKeyword:
        return {};
      case ts.SyntaxKind.ParenthesizedType:
        return schema(type.type, member);
      case ts.SyntaxKind.ArrayType:
        return { type: 'array', items: schema(type.elementType) };
      case ts.SyntaxKind.IndexedAccessType:
        return schema(lookUp(type));
      case ts.SyntaxKind.LiteralType: {
        if (type.literal.kind === ts.SyntaxKind.NullKeyword) return { nullable: true };
        if (ts.isStringLiteral(type.literal)) return { type: 'string', enum: [type.literal.text] };
        if (ts.isNumericLiteral(type.literal)) return { type: 'number', enum: [Number(type.literal.text)] };
        return { type: 'boolean', enum: [type.literal.kind === ts.SyntaxKind.TrueKeyword] };
      }
      case ts.SyntaxKind.TypeReference: {
        // Record<string, never> / Record<string, T>: a free-form object.
        if (type.typeName.getText(source) === 'Record') {
          const value = type.typeArguments?.[1];
          const extra = value && !isNever(value) ? schema(value) : {};
          return Object.keys(extra).length > 0 ? { type: 'object', additionalProperties: extra } : { type: 'object' };
        }
        throw new Error(`unsupported type reference ${type.getText(source)}`);
      }
      case ts.SyntaxKind.UnionType: {
        const parts = type.types.map((part) => schema(part, member));
        const nullable = parts.some((part) => part.nullable && !part.type);
        const rest = parts.filter((part) => !(part.nullable && !part.type));
        let out;
        if (rest.length > 0 && rest.every((part) => part.enum && part.type === rest[0].type && !part.properties)) {
          out = { type: rest[0].type, enum: rest.flatMap((part) => part.enum) };
        } else if (rest.length === 1) {
          out = { ...rest[0] };
        } else {
          out = { oneOf: rest };
        }
        if (nullable) out.nullable = true;
        return out;
      }
      case ts.SyntaxKind.TypeLiteral: {
        const out = { type: 'object' };
        const properties = {};
        const required = [];
        for (const element of type.members) {
          if (ts.isPropertySignature(element)) {
            const key = nameOf(element);
            properties[key] = schema(element.type, element);
            if (!element.questionToken) required.push(key);
          } else if (ts.isIndexSignatureDeclaration(element)) {
            const extra = schema(element.type);
            if (Object.keys(extra).length > 0) out.additionalProperties = extra;
          }
        }
        if (Object.keys(properties).length > 0) out.properties = properties;
        if (required.length > 0) out.required = required.sort();
        return out;
      }
      default:
        throw new Error(`unsupported type ${ts.SyntaxKind[type.kind]}: ${type.getText(source)}`);
    }
  };

  const operations = membersOf(interfaces.get('operations'));
  const paths = {};
  for (const [route, item] of membersOf(interfaces.get('paths'))) {
    if (!keep(route)) continue;
    for (const [method, member] of membersOf(item.type)) {
      if (!METHODS.includes(method) || isNever(member.type)) continue;
      const operationId = member.type.indexType.literal.text;
      const doc = jsDoc(member);
      const definition = membersOf(operations.get(operationId).type);
      const parameters = [];
      for (const [place, group] of membersOf(definition.get('parameters').type)) {
        if (isNever(group.type)) continue;
        for (const [name, parameter] of membersOf(group.type)) {
          parameters.push({ name, in: place, required: !parameter.questionToken, schema: schema(parameter.type, parameter) });
        }
      }
      const out = {
        operationId,
        summary: doc.text.split('\n')[0] || undefined,
        description: doc.tags.description || undefined,
        parameters,
      };
      const body = definition.get('requestBody');
      if (body && !isNever(body.type)) {
        const content = membersOf(membersOf(body.type).get('content').type);
        out.requestBody = {
          required: !body.questionToken,
          contentTypes: [...content.keys()].sort(),
          schema: schema(content.get('application/json')?.type),
        };
      }
      out.responses = {};
      for (const [status, response] of membersOf(definition.get('responses').type)) {
        const reduced = { description: jsDoc(response).tags.description };
        const content = membersOf(response.type).get('content');
        if (content && !isNever(content.type)) {
          reduced.schema = schema(membersOf(content.type).get('application/json').type);
        }
        out.responses[status] = reduced;
      }
      (paths[route] ??= {})[method] = out;
    }
  }
  return { source: `@logto/api ${version} lib/generated-types/management.d.ts`, paths };
};

// ---------------------------------------------------------------------------------------

const documentFile = option('--document');
const reduced = documentFile ? fromDocument(documentFile) : fromTypes();
const text = `${JSON.stringify(
  {
    about: 'Generated by tools/logto-openapi/reduce.mjs; see tools/logto-openapi/README.md. Do not edit.',
    source: reduced.source,
    paths: Object.fromEntries(Object.entries(reduced.paths).sort(([a], [b]) => a.localeCompare(b))),
  },
  null,
  2
)}\n`;
const out = option('--out');
const check = option('--check');
if (check) {
  if (fs.readFileSync(check, 'utf8') !== text) {
    console.error(`${check} is not what the source gives: regenerate it (see tools/logto-openapi/README.md)`);
    process.exit(1);
  }
  console.error(`${check} is up to date`);
} else if (out) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  console.error(`wrote ${out} (${Object.keys(reduced.paths).length} paths)`);
} else {
  process.stdout.write(text);
}
