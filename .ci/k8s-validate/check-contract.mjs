// Checks that rendered manifests fit what the application actually serves and needs.
//
//   node check-contract.mjs REPO_ROOT LABEL=rendered.yaml [LABEL=rendered.yaml ...]
//
// What the application serves is read from the repository, not hard-coded:
//  - HTTP port: quarkus.http.port in src/main/resources/application.properties (Quarkus default 8080);
//  - health paths: /<non-application root>/<health root>/<live|ready|started> from the Quarkus
//    properties that move them (defaults /q/health/live|ready|started), and the
//    quarkus-smallrye-health extension must be a dependency in pom.xml;
//  - the CronJob's endpoint: RunResource must map POST /api/v1/runs/complete-idle;
//  - graceful shutdown: quarkus.shutdown.timeout, which terminationGracePeriodSeconds must exceed.
// Then for every rendered set: each object the issue asks for is present; the Deployment's
// container port and its three probes (path and resolved port) match; the Service, PDB and
// NetworkPolicy select the Deployment's pods; the NetworkPolicy lets the CronJob in on the port;
// the CronJob calls the Service's port and the complete-idle path with a key from a Secret; the
// PostgreSQL profile is on; DELIVERABLES_DIR is a mounted volume; and where Secrets are rendered
// (examples), the CronJob's plain key hashes to an API key that has the ingest role.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';

const [root, ...sets] = process.argv.slice(2);
if (!root || sets.length === 0) {
  console.error('usage: node check-contract.mjs REPO_ROOT LABEL=FILE.yaml [...]');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(label, ok, message) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.error(`FAIL [${label}] ${message}`);
  }
  return ok;
}

// ---- what the application serves -------------------------------------------------------------
function readProperties(file) {
  const props = {};
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const m = line.match(/^([^=:\s]+)\s*[=:]\s*(.*)$/);
    if (m) props[m[1]] = m[2].trim();
  }
  return props;
}

const props = readProperties(join(root, 'src/main/resources/application.properties'));
const appPort = Number(props['quarkus.http.port'] ?? 8080);
const trimSlashes = (s) => s.replace(/^\/+|\/+$/g, '');
const nonAppRoot = trimSlashes(props['quarkus.http.non-application-root-path'] ?? 'q');
const healthRoot = trimSlashes(props['quarkus.smallrye-health.root-path'] ?? 'health');
const healthBase = props['quarkus.smallrye-health.root-path']?.startsWith('/')
  ? `/${healthRoot}` : `/${nonAppRoot}/${healthRoot}`;
const sub = (key, def) => {
  const v = props[`quarkus.smallrye-health.${key}`];
  return v?.startsWith('/') ? v : `${healthBase}/${trimSlashes(v ?? def)}`;
};
const expectedProbes = {
  startupProbe: sub('startup-path', 'started'),
  livenessProbe: sub('liveness-path', 'live'),
  readinessProbe: sub('readiness-path', 'ready'),
};
const shutdownTimeout = parseDurationSeconds(props['quarkus.shutdown.timeout']);

function parseDurationSeconds(v) {
  if (!v) return undefined;
  let m = v.match(/^(\d+)(ms|s|m|h)?$/);
  if (m) return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] ?? 's']);
  m = v.match(/^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/i);
  if (m) return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return undefined;
}

check('app', Number.isInteger(appPort) && appPort > 0, `quarkus.http.port is not a port: ${props['quarkus.http.port']}`);
const pom = readFileSync(join(root, 'pom.xml'), 'utf8');
check('app', /<artifactId>quarkus-smallrye-health<\/artifactId>/.test(pom),
  'pom.xml has no quarkus-smallrye-health: the probe endpoints would not exist');
check('app', shutdownTimeout !== undefined,
  'quarkus.shutdown.timeout is not set in application.properties (graceful shutdown)');

function javaFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...javaFiles(p));
    else if (name.endsWith('.java')) out.push(p);
  }
  return out;
}
const serves = javaFiles(join(root, 'src/main/java')).some((f) => {
  const src = readFileSync(f, 'utf8');
  return /@Path\("\/api\/v1\/runs"\)/.test(src)
    && /@POST\s+@Path\("\/complete-idle"\)/.test(src);
});
check('app', serves, 'no resource maps POST /api/v1/runs/complete-idle (the CronJob\'s call)');

// ---- rendered manifests ----------------------------------------------------------------------
const selects = (selector, labels) =>
  !!selector && Object.keys(selector).length > 0
  && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function resolvePort(port, container) {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  return (container.ports || []).find((p) => p.name === port)?.containerPort;
}

function decodeSecret(secret) {
  const out = {};
  for (const [k, v] of Object.entries(secret.data || {})) out[k] = Buffer.from(String(v).replace(/\s/g, ''), 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret.stringData || {})) out[k] = String(v);
  return out;
}

for (const set of sets) {
  const eq = set.indexOf('=');
  const label = set.slice(0, eq);
  const file = set.slice(eq + 1);
  const failedBefore = failed;
  if (!check(label, eq > 0 && existsSync(file), `no such rendered file: ${set}`)) continue;
  const docs = yaml.loadAll(readFileSync(file, 'utf8')).filter(Boolean);
  const of = (kind) => docs.filter((d) => d.kind === kind);
  for (const kind of ['ServiceAccount', 'ConfigMap', 'Service', 'Deployment', 'CronJob',
    'PodDisruptionBudget', 'NetworkPolicy', 'PersistentVolumeClaim']) {
    check(label, of(kind).length >= 1, `no ${kind} rendered`);
  }
  const deployments = of('Deployment');
  if (!check(label, deployments.length === 1, `expected one Deployment, found ${deployments.length}`)) continue;
  const dep = deployments[0];
  const pod = dep.spec.template.spec;
  const podLabels = dep.spec.template.metadata?.labels || {};
  const container = pod.containers.find((c) => c.name === 'app') ?? pod.containers[0];
  const configMaps = of('ConfigMap');
  const secrets = of('Secret');

  // Replicas, security, service account
  check(label, dep.spec.replicas >= 2, `Deployment replicas is ${dep.spec.replicas}, the issue asks for 2`);
  check(label, pod.securityContext?.runAsNonRoot === true, 'pod securityContext.runAsNonRoot is not true');
  check(label, container.securityContext?.readOnlyRootFilesystem === true, 'container root filesystem is not read-only');
  const tmp = (container.volumeMounts || []).find((m) => m.mountPath === '/tmp');
  check(label, !!tmp && (pod.volumes || []).some((v) => v.name === tmp.name && v.emptyDir),
    '/tmp is not an emptyDir (needed with a read-only root filesystem)');
  check(label, !!container.resources?.requests && !!container.resources?.limits, 'container has no resource requests and limits');
  check(label, pod.automountServiceAccountToken === false, 'pod mounts a service account token');
  for (const sa of of('ServiceAccount')) {
    check(label, sa.automountServiceAccountToken === false, `ServiceAccount ${sa.metadata.name} does not disable token mounting`);
  }

  // Port and probes
  const http = (container.ports || []).find((p) => p.containerPort === appPort);
  check(label, !!http, `container does not expose containerPort ${appPort} (the app listens there)`);
  check(label, (container.ports || []).every((p) => p.containerPort === appPort),
    `container declares ports other than ${appPort}: ${JSON.stringify(container.ports)}`);
  for (const [probe, path] of Object.entries(expectedProbes)) {
    const p = container[probe];
    if (!check(label, !!p?.httpGet, `${probe} is missing or not an httpGet probe`)) continue;
    check(label, p.httpGet.path === path, `${probe} path is ${p.httpGet.path}, the app serves ${path}`);
    check(label, resolvePort(p.httpGet.port, container) === appPort,
      `${probe} port ${p.httpGet.port} does not resolve to ${appPort}`);
  }

  // Graceful termination
  const preStop = container.lifecycle?.preStop?.exec?.command;
  const sleep = preStop && preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
  if (shutdownTimeout !== undefined) {
    check(label, (pod.terminationGracePeriodSeconds ?? 30) > shutdownTimeout + sleep,
      `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} is not above quarkus.shutdown.timeout `
      + `(${shutdownTimeout}s) plus the preStop sleep (${sleep}s)`);
  }

  // Configuration: PostgreSQL profile, deliverables volume
  const envFromCm = (container.envFrom || []).map((e) => e.configMapRef?.name).filter(Boolean);
  const cm = configMaps.find((c) => envFromCm.includes(c.metadata.name));
  if (check(label, !!cm, `the ConfigMap the Deployment reads (${envFromCm}) is not rendered`)) {
    check(label, /(^|,)postgresql(,|$)/.test(cm.data?.QUARKUS_PROFILE ?? ''),
      `QUARKUS_PROFILE is "${cm.data?.QUARKUS_PROFILE}": Kubernetes needs the postgresql profile`);
    check(label, /^jdbc:postgresql:\/\//.test(cm.data?.QUARKUS_DATASOURCE_PG_JDBC_URL ?? ''),
      'QUARKUS_DATASOURCE_PG_JDBC_URL is not a PostgreSQL JDBC URL');
    const dir = cm.data?.DELIVERABLES_DIR;
    const mount = (container.volumeMounts || []).find((m) => m.mountPath === dir);
    check(label, !!dir && !!mount, `DELIVERABLES_DIR (${dir}) is not a volume mount of the container`);
    const vol = mount && (pod.volumes || []).find((v) => v.name === mount.name);
    if (vol?.persistentVolumeClaim) {
      const claim = of('PersistentVolumeClaim').find((c) => c.metadata.name === vol.persistentVolumeClaim.claimName);
      if (check(label, !!claim, `PVC ${vol.persistentVolumeClaim.claimName} of DELIVERABLES_DIR is not rendered`)
          && dep.spec.replicas > 1) {
        check(label, claim.spec.accessModes.includes('ReadWriteMany'),
          `${dep.spec.replicas} replicas share PVC ${claim.metadata.name}, which is not ReadWriteMany`);
      }
    }
  }
  const appSecretName = (container.envFrom || []).map((e) => e.secretRef?.name).find(Boolean);
  check(label, !!appSecretName, 'the Deployment reads no Secret (database password, SFMC credentials, API keys)');

  // Service
  const services = of('Service').filter((s) => selects(s.spec.selector, podLabels));
  if (check(label, services.length === 1, 'no (or more than one) Service selects the Deployment\'s pods')) {
    const svc = services[0];
    for (const p of svc.spec.ports) {
      check(label, resolvePort(p.targetPort ?? p.port, container) === appPort,
        `Service port ${p.name ?? p.port} targets ${p.targetPort}, not the app's ${appPort}`);
    }
  }
  const svc = services[0];

  // PDB and NetworkPolicy
  for (const pdb of of('PodDisruptionBudget')) {
    check(label, selects(pdb.spec.selector?.matchLabels, podLabels), `PDB ${pdb.metadata.name} does not select the pods`);
  }
  const cronJobs = of('CronJob');
  for (const np of of('NetworkPolicy')) {
    check(label, selects(np.spec.podSelector?.matchLabels, podLabels), `NetworkPolicy ${np.metadata.name} does not select the pods`);
    for (const cj of cronJobs) {
      const cjLabels = cj.spec.jobTemplate.spec.template.metadata?.labels || {};
      const admitted = (np.spec.ingress || []).some((rule) =>
        (rule.from || []).some((peer) => peer.podSelector && !peer.namespaceSelector
          && selects(peer.podSelector.matchLabels, cjLabels))
        && (!rule.ports || rule.ports.some((p) => resolvePort(p.port, container) === appPort)));
      check(label, admitted, `NetworkPolicy ${np.metadata.name} does not let CronJob ${cj.metadata.name} reach port ${appPort}`);
    }
  }

  // CronJob
  if (!check(label, cronJobs.length === 1, `expected one CronJob, found ${cronJobs.length}`)) continue;
  const cj = cronJobs[0];
  check(label, cj.spec.concurrencyPolicy === 'Forbid', 'CronJob concurrencyPolicy is not Forbid');
  check(label, Number.isInteger(cj.spec.jobTemplate.spec.backoffLimit), 'CronJob has no backoffLimit (retries)');
  check(label, Number.isInteger(cj.spec.successfulJobsHistoryLimit) && Number.isInteger(cj.spec.failedJobsHistoryLimit),
    'CronJob has no history limits');
  const cjPod = cj.spec.jobTemplate.spec.template.spec;
  const cjc = cjPod.containers[0];
  const env = Object.fromEntries((cjc.env || []).map((e) => [e.name, e]));
  const script = [...(cjc.command || []), ...(cjc.args || [])].join(' ');
  check(label, script.includes('/api/v1/runs/complete-idle'), 'CronJob does not call /api/v1/runs/complete-idle');
  check(label, /-X POST|--request POST/.test(script), 'CronJob does not POST');
  check(label, /X-API-Key/.test(script), 'CronJob sends no X-API-Key header');
  check(label, !/X-API-Key:\s*[A-Za-z0-9]{12,}/.test(script), 'CronJob has a literal API key in its command');
  const keyRef = env.API_KEY?.valueFrom?.secretKeyRef;
  check(label, !!keyRef, 'CronJob API_KEY does not come from a Secret');
  if (svc) {
    const url = env.SERVICE_URL?.value ?? '';
    const ok = svc.spec.ports.some((p) => url === `http://${svc.metadata.name}:${p.port}`);
    check(label, ok, `CronJob SERVICE_URL "${url}" is not the Service ${svc.metadata.name} on one of its ports`);
  }
  check(label, cjPod.securityContext?.runAsNonRoot === true, 'CronJob pod does not run as non-root');
  check(label, cjPod.automountServiceAccountToken === false, 'CronJob pod mounts a service account token');

  // Example secrets: the CronJob's plain key must be a configured key with the ingest role.
  const cronSecret = keyRef && secrets.find((s) => s.metadata.name === keyRef.name);
  const appSecret = secrets.find((s) => s.metadata.name === appSecretName);
  if (cronSecret && appSecret) {
    const plain = decodeSecret(cronSecret)[keyRef.key];
    const app = decodeSecret(appSecret);
    const hash = plain && createHash('sha256').update(plain, 'utf8').digest('hex');
    const match = Object.keys(app).find((k) => /^SECURITY_API_KEYS_[A-Z0-9]+_SHA256$/.test(k) && app[k].trim().toLowerCase() === hash);
    if (check(label, !!match, 'the CronJob\'s key is not one of the SECURITY_API_KEYS_*_SHA256 in the app Secret')) {
      const roles = (app[match.replace(/_SHA256$/, '_ROLES')] ?? '').split(',').map((r) => r.trim());
      check(label, roles.includes('ingest'), `${match.replace(/_SHA256$/, '_ROLES')} lacks the ingest role`);
    }
    for (const k of Object.keys(app).filter((k) => k.startsWith('SECURITY_API_KEYS_'))) {
      if (k.endsWith('_SHA256')) {
        check(label, /^[0-9a-f]{64}$/i.test(app[k].trim()), `${k} is not a hex SHA-256`);
        check(label, k.replace(/_SHA256$/, '_ROLES') in app, `${k} has no _ROLES beside it`);
      }
    }
    check(label, 'QUARKUS_DATASOURCE_PG_PASSWORD' in app, 'the app Secret has no QUARKUS_DATASOURCE_PG_PASSWORD');
  }
  if (failed === failedBefore) console.log(`ok   [${label}] ${file}: port ${appPort}, probes ${Object.values(expectedProbes).join(' ')}`);
}

console.log(`contract checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
