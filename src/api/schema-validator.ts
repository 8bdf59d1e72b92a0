import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { parse } from 'yaml';
import { badRequest, type ErrorDetail } from '../errors.js';
import type { components } from './openapi-types.js';

export type Schemas = components['schemas'];
export type SchemaName = keyof Schemas;

/** The parsed `openapi.yaml`, as served by `GET /openapi.json`. */
export type OpenApiDocument = Readonly<Record<string, unknown>>;

const DOCUMENT_URL = new URL('../../openapi.yaml', import.meta.url);

/** The `$id` under which the schemas are registered, so `#/components/schemas/X` resolves inside it. */
const DOCUMENT_ID = 'openapi.yaml';

/**
 * Keywords OpenAPI adds to JSON Schema (annotations only), plus `components`, the container the
 * schemas are registered under. Strict mode rejects any other unknown keyword, so a typo such as
 * `minimun` fails at start-up instead of silently validating nothing.
 */
const OPENAPI_KEYWORDS = ['example', 'xml', 'externalDocs', 'discriminator', 'components'];

let document: OpenApiDocument | undefined;
let ajv: Ajv2020 | undefined;

export function openApiDocument(): OpenApiDocument {
  document ??= parseDocument(readFileSync(DOCUMENT_URL, 'utf8'));
  return document;
}

function parseDocument(text: string): OpenApiDocument {
  const parsed: unknown = parse(text);
  if (!isObject(parsed) || !isObject(parsed.components) || !isObject(parsed.components.schemas)) {
    throw new Error('openapi.yaml has no components.schemas');
  }
  return parsed;
}

function compiler(): Ajv2020 {
  if (ajv !== undefined) return ajv;
  // allowUnionTypes: OpenAPI 3.1 writes `type: [number, 'null']`, which plain strict mode forbids.
  const instance = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  ajvFormats.default(instance);
  for (const keyword of OPENAPI_KEYWORDS) instance.addKeyword(keyword);
  const { components: container } = openApiDocument();
  instance.addSchema({ $id: DOCUMENT_ID, components: container }, DOCUMENT_ID);
  ajv = instance;
  return instance;
}

const validators = new Map<string, ValidateFunction>();

/**
 * Ajv compiles a ref on its first `getSchema`; kept here because resolving the ref again on every
 * request (URI parsing in `getSchema`) cost 4 % of `/choose`'s CPU in `npm run bench:http`.
 */
function validatorAt(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (validate === undefined) {
    validate = compiler().getSchema(`${DOCUMENT_ID}${ref}`);
    if (validate === undefined) throw new Error(`openapi.yaml has no schema at ${ref}`);
    validators.set(ref, validate);
  }
  return validate;
}

const validatorFor = (name: SchemaName): ValidateFunction => validatorAt(`#/components/schemas/${name}`);

/**
 * Everything wrong with `value` against the named schema, one detail per offending field; empty
 * when it conforms. Paths read like code (`policyArms[1].learner.alpha`), not JSON Pointers.
 */
export function schemaViolations(name: SchemaName, value: unknown): ErrorDetail[] {
  return violations(validatorFor(name), value, value, '');
}

/**
 * Checks `value` against the named schema of `openapi.yaml` and returns it typed.
 * @throws AppError 400 `invalid_request` with one detail per offending field.
 */
export function validateSchema<K extends SchemaName>(name: K, value: unknown): Schemas[K] {
  const details = schemaViolations(name, value);
  if (details.length > 0) throw badRequest('invalid_request', summary(name, details), details);
  return value as Schemas[K];
}

/**
 * `validateSchema` for one schema, compiled now, while the app is assembled: a broken schema fails
 * start-up, not the first request.
 */
export function schemaValidator<K extends SchemaName>(name: K): (value: unknown) => Schemas[K] {
  validatorFor(name);
  return (value) => validateSchema(name, value);
}

/** Rejects a request whose JSON body does not match the named schema, before the handler runs. */
export function validateBody(name: SchemaName): RequestHandler {
  const validate = schemaValidator(name);
  return (req, _res, next) => {
    validate(req.body);
    next();
  };
}

function summary(name: SchemaName, details: readonly ErrorDetail[]): string {
  const [first] = details;
  const where = first?.path === undefined ? '' : `${first.path}: `;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return `Invalid ${name}: ${where}${first?.message ?? 'does not match the schema'}${more}`;
}

/**
 * Ajv reports a failed `oneOf` with the errors of every branch, which buries the one that matters.
 * Our unions are `oneOf` lists of `$ref`s told apart by a `const` tag (`kind`, `type`), so the
 * errors under a failed union are replaced by those of the branch its tag names.
 */
function violations(validate: ValidateFunction, data: unknown, root: unknown, prefix: string): ErrorDetail[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const isUnion = (error: ErrorObject): boolean => error.keyword === 'oneOf';
  const unions = errors.filter(
    (error) => isUnion(error) && !errors.some((outer) => outer !== error && isUnion(outer) && isWithin(error, outer)),
  );
  return errors.flatMap((error) => {
    const union = unions.find((candidate) => isWithin(error, candidate));
    if (union === undefined) return [detail(error, root, prefix)];
    return error === union ? unionViolations(union, root, prefix + union.instancePath) : [];
  });
}

function isWithin(error: ErrorObject, union: ErrorObject): boolean {
  return error.instancePath === union.instancePath || error.instancePath.startsWith(`${union.instancePath}/`);
}

function unionViolations(union: ErrorObject, root: unknown, pointer: string): ErrorDetail[] {
  const branches = (Array.isArray(union.schema) ? union.schema : []).map((branch: { $ref: string }) =>
    validatorAt(branch.$ref),
  );
  const tag = tagOf(branches);
  const data: unknown = union.data;
  const path = readablePath(root, pointer);
  if (!isObject(data)) return [{ ...at(path), message: 'must be object' }];
  const tags = branches.map((branch) => constOf(branch, tag));
  const chosen = branches[tags.indexOf(data[tag])];
  if (chosen === undefined) {
    return [{ path: readablePath(root, `${pointer}/${tag}`), message: `must be one of: ${tags.join(', ')}` }];
  }
  return violations(chosen, data, root, pointer);
}

function tagOf(branches: readonly ValidateFunction[]): string {
  const [first] = branches;
  const properties = isObject(first?.schema) && isObject(first.schema.properties) ? first.schema.properties : {};
  const tag = Object.keys(properties).find((key) => branches.every((branch) => constOf(branch, key) !== undefined));
  if (tag === undefined) throw new Error('a oneOf in openapi.yaml has no const tag property');
  return tag;
}

function constOf(branch: ValidateFunction, key: string): unknown {
  const { schema } = branch;
  if (!isObject(schema) || !isObject(schema.properties)) return undefined;
  const property = schema.properties[key];
  return isObject(property) ? property.const : undefined;
}

function detail(error: ErrorObject, root: unknown, prefix: string): ErrorDetail {
  const pointer = prefix + error.instancePath;
  const { params } = error;
  const here = at(readablePath(root, pointer));
  const child = (key: unknown): string => readablePath(root, `${pointer}/${escape(String(key))}`);
  switch (error.keyword) {
    case 'required':
      return { path: child(params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { path: child(params.additionalProperty), message: 'is not allowed' };
    case 'enum':
      return { ...here, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { ...here, message: `must be ${String(params.type).split(',').join(' or ')}` };
    default:
      return { ...here, message: error.message ?? 'is invalid' };
  }
}

const at = (path: string): { path?: string } => (path === '' ? {} : { path });

const escape = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');
const unescape = (segment: string): string => segment.replaceAll('~1', '/').replaceAll('~0', '~');

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `/policyArms/1/share` → `policyArms[1].share`; walks `root` to tell array indices from keys like `"0"`. */
function readablePath(root: unknown, pointer: string): string {
  let path = '';
  let node = root;
  for (const segment of pointer.split('/').slice(1).map(unescape)) {
    if (Array.isArray(node)) {
      path += `[${segment}]`;
      node = node[Number(segment)];
    } else {
      path += IDENTIFIER.test(segment) ? `${path === '' ? '' : '.'}${segment}` : `[${JSON.stringify(segment)}]`;
      node = isObject(node) ? node[segment] : undefined;
    }
  }
  return path;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
