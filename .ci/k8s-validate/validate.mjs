// Validates every object of one or more rendered multi-document YAML files against the Kubernetes
// OpenAPI schemas shipped by the npm package kubernetes-models (pinned in package.json).
//
//   node validate.mjs rendered.yaml [more.yaml ...]
//
// Two checks per object:
//  1. the schema (types, required fields, enums, formats) via the package's compiled validators;
//  2. unknown fields: Kubernetes schemas allow extra properties, so a typo such as `readinesProbe`
//     would pass (1) and be silently dropped by the API server. Every object is wrapped in a Proxy
//     that records which properties the validator read; a property it never read is not in the
//     schema and is reported (what `kubectl --validate=strict` does against a live cluster).
// Exits 1 on any problem, on an unknown apiVersion/kind, or on a file with no object.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as yaml from 'js-yaml';

const here = dirname(fileURLToPath(import.meta.url));
const modelsDir = process.env.K8S_MODELS_DIR || join(here, 'node_modules', 'kubernetes-models');
// ServiceMonitor and PrometheusRule (Prometheus Operator CRDs) come from the same project's
// @kubernetes-models/prometheus-operator, generated from the operator's CRD schemas.
const crdModels = { 'monitoring.coreos.com': join(here, 'node_modules', '@kubernetes-models', 'prometheus-operator') };

async function validatorFor(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) {
    throw new Error(`missing or malformed apiVersion/kind (${apiVersion}/${kind})`);
  }
  // "v1" is the core group; "apps/v1" -> apps/v1; "networking.k8s.io/v1" -> networking.k8s.io/v1
  const dir = crdModels[apiVersion.split('/')[0]] ?? modelsDir;
  const modelPath = join(dir, ...apiVersion.split('/'), `${kind}.mjs`);
  let model;
  try {
    model = await import(pathToFileURL(modelPath).href);
  } catch (e) {
    throw new Error(`no schema for ${apiVersion} ${kind} in kubernetes-models (${e.code || e.message})`);
  }
  // Each model module re-exports its class under the schema's name, e.g. IoK8sApiAppsV1Deployment.
  // CRD models import their schema module directly; its name is in the model's source.
  const schemaName = Object.keys(model).find((k) => k.startsWith('IoK8s'))
    ?? readFileSync(modelPath, 'utf8').match(/_schemas\/([A-Za-z0-9]+)\.mjs/)?.[1];
  if (!schemaName) throw new Error(`cannot find the schema name of ${apiVersion} ${kind}`);
  const schema = await import(pathToFileURL(join(dir, '_schemas', `${schemaName}.mjs`)).href);
  return schema.validate;
}

/** Wraps `value` so that every property read on any nested plain object is recorded in `seen`. */
function track(value, seen, proxies = new WeakMap()) {
  if (value === null || typeof value !== 'object') return value;
  if (proxies.has(value)) return proxies.get(value);
  if (!seen.has(value)) seen.set(value, new Set());
  const proxy = new Proxy(value, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && Object.prototype.hasOwnProperty.call(target, prop)) {
        seen.get(target).add(prop);
      }
      return track(Reflect.get(target, prop, receiver), seen, proxies);
    },
  });
  proxies.set(value, proxy);
  return proxy;
}

function unknownFields(value, seen, path, out) {
  if (value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, seen, `${path}/${i}`, out));
    return out;
  }
  const read = seen.get(value) || new Set();
  for (const key of Object.keys(value)) {
    if (!read.has(key)) out.push(`${path}/${key}`);
    else unknownFields(value[key], seen, `${path}/${key}`, out);
  }
  return out;
}

/**
 * kustomize wraps long base64 values of a Secret's data over several lines. The API server accepts
 * that (Go's base64 decoder skips CR and LF), the schema's "byte" format does not: strip them.
 */
function normalise(doc) {
  if (doc?.apiVersion === 'v1' && doc?.kind === 'Secret' && doc.data && typeof doc.data === 'object') {
    for (const [k, v] of Object.entries(doc.data)) {
      if (typeof v === 'string') doc.data[k] = v.replace(/[\r\n]/g, '');
    }
  }
}

function describe(doc) {
  const ns = doc?.metadata?.namespace ? `${doc.metadata.namespace}/` : '';
  return `${doc?.kind ?? '?'} ${ns}${doc?.metadata?.name ?? '?'}`;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.mjs FILE.yaml [...]');
  process.exit(2);
}

let failures = 0;
let checked = 0;
for (const file of files) {
  let docs;
  try {
    docs = yaml.loadAll(readFileSync(file, 'utf8')).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    console.error(`FAIL ${file}: not valid YAML: ${e.message}`);
    failures++;
    continue;
  }
  if (docs.length === 0) {
    console.error(`FAIL ${file}: no Kubernetes object in it`);
    failures++;
    continue;
  }
  for (const doc of docs) {
    checked++;
    const what = `${file}: ${describe(doc)}`;
    try {
      const validate = await validatorFor(doc?.apiVersion, doc?.kind);
      normalise(doc);
      const seen = new WeakMap();
      const ok = validate(track(doc, seen));
      const problems = [];
      if (!ok) {
        for (const err of validate.errors || []) {
          problems.push(`${err.instancePath || '/'} ${err.keyword}: ${JSON.stringify(err.params)}`);
        }
      }
      // apiVersion and kind are type meta, read by the loader above, not necessarily by the schema.
      for (const path of unknownFields(doc, seen, '', [])) {
        if (path === '/apiVersion' || path === '/kind') continue;
        problems.push(`${path} is not a field of ${doc.apiVersion} ${doc.kind}`);
      }
      if (problems.length) {
        failures++;
        console.error(`FAIL ${what}`);
        for (const p of problems) console.error(`     ${p}`);
      } else {
        console.log(`ok   ${what}`);
      }
    } catch (e) {
      failures++;
      console.error(`FAIL ${what}: ${e.message}`);
    }
  }
}
console.log(`schema validation: ${checked} objects, ${failures} failed`);
process.exit(failures ? 1 : 0);
