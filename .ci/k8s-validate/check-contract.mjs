// Checks that rendered manifests fit what the application actually serves and needs.
//
//   node check-contract.mjs REPO_ROOT LABEL=rendered.yaml [LABEL=rendered.yaml ...]
//
// What the application serves is read from the repository, not hard-coded:
//  - HTTP port: quarkus.http.port in src/main/resources/application.properties (Quarkus default
//    8080), which serves /api; management port: quarkus.management.port (required, with
//    quarkus.management.enabled=true), which serves health and metrics;
//  - health paths: /<management root>/<health root>/<live|ready|started> from the Quarkus
//    properties that move them (defaults /q/health/live|ready|started), and the
//    quarkus-smallrye-health extension must be a dependency in pom.xml;
//  - the CronJob's endpoint: RunResource must map POST /api/v1/runs/complete-idle;
//  - graceful shutdown: quarkus.shutdown.timeout (or the pod's QUARKUS_SHUTDOWN_TIMEOUT), which
//    terminationGracePeriodSeconds must exceed with the preStop pause and a 5 s margin;
//  - the pool's acquisition timeout, which the readiness probe's timeout must exceed.
// Then for every rendered set: each object the issue asks for is present; the Deployment's
// container ports and its three probes (path and resolved port) match; the Service, PDB and
// NetworkPolicy select the Deployment's pods; the NetworkPolicy lets the CronJob in on the http
// port and the scraper on the management port in a rule of its own, and lets DNS, PostgreSQL,
// SMTP and 443 out; the CronJob calls the Service's port and the complete-idle path with a key
// from a Secret, and its curl retries fit its deadline; the PostgreSQL profile, the datasource
// switches and DELIVERABLES_DIR are explicit env entries that nothing overrides; one replica with
// a ReadWriteOnce claim rolls out with Recreate; several replicas need a ReadWriteMany claim with
// a storage class; the PDB allows a disruption; an init step checks the deliverables volume is
// writable; memory request = limit with a heap ratio; and where Secrets are rendered (examples),
// the CronJob's plain key hashes to an API key that has the ingest role.
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
const mgmtPort = Number(props['quarkus.management.port']);
const trimSlashes = (s) => s.replace(/^\/+|\/+$/g, '');
// On the management interface the non-application endpoints live under its root path (default /q).
const nonAppRoot = trimSlashes(props['quarkus.management.root-path'] ?? 'q');
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
const acquisitionTimeout = parseDurationSeconds(props['quarkus.datasource.pg.jdbc.acquisition-timeout'] ?? '5s');
const RESERVED_ENV = { QUARKUS_PROFILE: /(^|,)postgresql(,|$)/, QUARKUS_DATASOURCE_H2_ACTIVE: /^false$/,
  QUARKUS_DATASOURCE_PG_ACTIVE: /^true$/, DELIVERABLES_DIR: /^\/./ };

function parseDurationSeconds(v) {
  if (!v) return undefined;
  let m = v.match(/^(\d+)(ms|s|m|h)?$/i);
  if (m) return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] ?? 's']);
  m = v.match(/^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/i);
  if (m) return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return undefined;
}

check('app', Number.isInteger(appPort) && appPort > 0, `quarkus.http.port is not a port: ${props['quarkus.http.port']}`);
check('app', props['quarkus.management.enabled'] === 'true',
  'quarkus.management.enabled=true is not in application.properties: health and metrics would be on the public port');
check('app', Number.isInteger(mgmtPort) && mgmtPort > 0 && mgmtPort !== appPort,
  `quarkus.management.port is missing or not a port of its own: ${props['quarkus.management.port']}`);
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
    'PodDisruptionBudget', 'NetworkPolicy']) {
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

  // Replicas: a number, or an HPA owns them (then the Deployment must not set them).
  const hpa = of('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef?.kind === 'Deployment'
    && h.spec.scaleTargetRef?.name === dep.metadata.name);
  if (hpa) {
    check(label, dep.spec.replicas === undefined, `an HPA owns the replicas but the Deployment sets replicas: ${dep.spec.replicas}`);
  } else {
    check(label, Number.isInteger(dep.spec.replicas) && dep.spec.replicas >= 0, `Deployment replicas is ${dep.spec.replicas}`);
  }
  const minReplicas = hpa ? (hpa.spec.minReplicas ?? 1) : dep.spec.replicas;
  const maxReplicas = hpa ? hpa.spec.maxReplicas : dep.spec.replicas;
  check(label, pod.securityContext?.runAsNonRoot === true, 'pod securityContext.runAsNonRoot is not true');
  check(label, pod.securityContext?.fsGroupChangePolicy === 'OnRootMismatch',
    'pod securityContext.fsGroupChangePolicy is not OnRootMismatch (a recursive chown of the volume at every start)');
  check(label, pod.enableServiceLinks === false, 'the service pods get service links (enableServiceLinks is not false)');
  check(label, container.securityContext?.readOnlyRootFilesystem === true, 'container root filesystem is not read-only');
  const tmp = (container.volumeMounts || []).find((m) => m.mountPath === '/tmp');
  check(label, !!tmp && (pod.volumes || []).some((v) => v.name === tmp.name && v.emptyDir),
    '/tmp is not an emptyDir (needed with a read-only root filesystem)');
  check(label, !!container.resources?.requests && !!container.resources?.limits, 'container has no resource requests and limits');
  check(label, !!container.resources?.limits?.memory && container.resources?.requests?.memory === container.resources?.limits?.memory,
    `memory request ${container.resources?.requests?.memory} is not the limit ${container.resources?.limits?.memory}`);
  check(label, pod.automountServiceAccountToken === false, 'pod mounts a service account token');
  for (const sa of of('ServiceAccount')) {
    check(label, sa.automountServiceAccountToken === false, `ServiceAccount ${sa.metadata.name} does not disable token mounting`);
  }

  // Ports and probes: /api on the http port, health and metrics on the management port.
  const ports = (container.ports || []).map((p) => p.containerPort).sort();
  check(label, JSON.stringify(ports) === JSON.stringify([appPort, mgmtPort].sort()),
    `container ports are ${JSON.stringify(ports)}, the app listens on ${appPort} (http) and ${mgmtPort} (management)`);
  for (const [probe, path] of Object.entries(expectedProbes)) {
    const p = container[probe];
    if (!check(label, !!p?.httpGet, `${probe} is missing or not an httpGet probe`)) continue;
    check(label, p.httpGet.path === path, `${probe} path is ${p.httpGet.path}, the app serves ${path}`);
    check(label, resolvePort(p.httpGet.port, container) === mgmtPort,
      `${probe} port ${p.httpGet.port} does not resolve to the management port ${mgmtPort}`);
  }
  const ann = dep.spec.template.metadata?.annotations || {};
  if (ann['prometheus.io/scrape'] === 'true') {
    check(label, Number(ann['prometheus.io/port']) === mgmtPort && ann['prometheus.io/path'] === '/q/metrics',
      `prometheus.io annotations point at ${ann['prometheus.io/port']}${ann['prometheus.io/path']}, not ${mgmtPort}/q/metrics`);
  }

  // Variables the manifests own: explicit env entries, once, and in no envFrom source.
  const env = container.env || [];
  const envNames = env.map((e) => e.name);
  check(label, new Set(envNames).size === envNames.length, `the container env names a variable twice: ${envNames}`);
  const envValue = (name) => env.find((e) => e.name === name)?.value;
  for (const [name, ok] of Object.entries(RESERVED_ENV)) {
    check(label, ok.test(envValue(name) ?? ''), `${name} is not an explicit env entry with the right value (${envValue(name)})`);
  }
  const envFromCm = (container.envFrom || []).map((e) => e.configMapRef?.name).filter(Boolean);
  const envFromSecrets = (container.envFrom || []).map((e) => e.secretRef?.name).filter(Boolean);
  for (const src of [...configMaps.filter((c) => envFromCm.includes(c.metadata.name)),
    ...secrets.filter((c) => envFromSecrets.includes(c.metadata.name))]) {
    const keys = [...Object.keys(src.data || {}), ...Object.keys(src.stringData || {})];
    for (const name of Object.keys(RESERVED_ENV)) {
      check(label, !keys.includes(name), `${src.kind} ${src.metadata.name} also sets ${name}, which the pod's env decides`);
    }
  }
  const heap = Number(envValue('JAVA_MAX_MEM_RATIO'));
  check(label, heap >= 25 && heap <= 75,
    `JAVA_MAX_MEM_RATIO is ${envValue('JAVA_MAX_MEM_RATIO')}: the heap must leave room for the rest of the JVM (25-75 % of the limit)`);

  // Timings: graceful termination and readiness against the pool
  const preStop = container.lifecycle?.preStop?.exec?.command;
  const sleep = preStop && preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
  const shutdown = parseDurationSeconds(envValue('QUARKUS_SHUTDOWN_TIMEOUT') ?? '') ?? shutdownTimeout;
  if (shutdown !== undefined) {
    check(label, (pod.terminationGracePeriodSeconds ?? 30) > shutdown + sleep + 5,
      `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} is not above quarkus.shutdown.timeout `
      + `(${shutdown}s) plus the preStop sleep (${sleep}s) plus a 5s margin`);
  }
  const acquisition = parseDurationSeconds(envValue('QUARKUS_DATASOURCE_PG_JDBC_ACQUISITION_TIMEOUT') ?? '') ?? acquisitionTimeout;
  check(label, (container.readinessProbe?.timeoutSeconds ?? 1) > acquisition,
    `readiness timeoutSeconds ${container.readinessProbe?.timeoutSeconds} is not above the pool's acquisition timeout (${acquisition}s)`);

  // Configuration and the deliverables volume
  const cm = configMaps.find((c) => envFromCm.includes(c.metadata.name));
  const dir = envValue('DELIVERABLES_DIR');
  const mount = (container.volumeMounts || []).find((m) => m.mountPath === dir);
  check(label, !!dir && !!mount, `DELIVERABLES_DIR (${dir}) is not a volume mount of the container`);
  const vol = mount && (pod.volumes || []).find((v) => v.name === mount.name);
  let rwx = false;
  if (vol?.persistentVolumeClaim) {
    const claim = of('PersistentVolumeClaim').find((c) => c.metadata.name === vol.persistentVolumeClaim.claimName);
    if (claim) {
      rwx = claim.spec.accessModes.includes('ReadWriteMany');
      check(label, !rwx || !!claim.spec.storageClassName,
        `PVC ${claim.metadata.name} is ReadWriteMany without storageClassName: the default classes of EKS, GKE and AKS have no RWX`);
    } else {
      // An existing claim (not rendered): its modes are not known here; the chart checks its values.
      rwx = maxReplicas > 1;
    }
    check(label, rwx || dep.spec.strategy?.type === 'Recreate',
      `the deliverables claim is not ReadWriteMany and the strategy is ${dep.spec.strategy?.type}: a rollout would wait for ever on Multi-Attach`);
  }
  if (maxReplicas > 1) {
    check(label, !!vol?.persistentVolumeClaim, `up to ${maxReplicas} replicas but DELIVERABLES_DIR is not a shared claim`);
    check(label, rwx, `up to ${maxReplicas} replicas share a deliverables claim that is not ReadWriteMany`);
  }
  const writeCheck = (pod.initContainers || []).find((c) => (c.volumeMounts || []).some((m) => m.name === mount?.name && m.mountPath === dir)
    && /touch\s/.test([...(c.command || []), ...(c.args || [])].join(' ')));
  check(label, !!writeCheck, `no init container checks that ${dir} is writable`);
  if (cm) {
    check(label, /^jdbc:postgresql:\/\//.test(cm.data?.QUARKUS_DATASOURCE_PG_JDBC_URL ?? ''),
      'QUARKUS_DATASOURCE_PG_JDBC_URL is not a PostgreSQL JDBC URL');
    check(label, cm.data?.SFMC_ACCOUNT_ID === undefined || /^[0-9]+$/.test(cm.data.SFMC_ACCOUNT_ID),
      `SFMC_ACCOUNT_ID "${cm.data?.SFMC_ACCOUNT_ID}" is not a string of digits`);
  } else {
    check(label, false, `the ConfigMap the Deployment reads (${envFromCm}) is not rendered`);
  }
  const appSecretName = envFromSecrets[0];
  check(label, !!appSecretName, 'the Deployment reads no Secret (database password, SFMC credentials, API keys)');

  // Service: a port for /api and one for the management interface, nothing else.
  const services = of('Service').filter((s) => selects(s.spec.selector, podLabels));
  if (check(label, services.length === 1, 'no (or more than one) Service selects the Deployment\'s pods')) {
    const targets = services[0].spec.ports.map((p) => resolvePort(p.targetPort ?? p.port, container)).sort();
    check(label, JSON.stringify(targets) === JSON.stringify([appPort, mgmtPort].sort()),
      `Service ports target ${JSON.stringify(targets)}, not the app's ${appPort} and ${mgmtPort}`);
  }
  const svc = services[0];
  const mgmtServicePort = svc?.spec.ports.find((p) => resolvePort(p.targetPort ?? p.port, container) === mgmtPort);

  // PDB: must select the pods and allow at least one disruption.
  for (const pdb of of('PodDisruptionBudget')) {
    check(label, selects(pdb.spec.selector?.matchLabels, podLabels), `PDB ${pdb.metadata.name} does not select the pods`);
    const pct = (v, n, up) => (typeof v === 'string' && v.endsWith('%') ? (up ? Math.ceil : Math.floor)(Number(v.slice(0, -1)) * n / 100) : Number(v));
    if (pdb.spec.minAvailable !== undefined) {
      check(label, pct(pdb.spec.minAvailable, minReplicas, true) < minReplicas,
        `PDB ${pdb.metadata.name} minAvailable ${pdb.spec.minAvailable} with ${minReplicas} replica(s) allows no disruption (node drains block)`);
    } else {
      check(label, Math.max(pct(pdb.spec.maxUnavailable, minReplicas, true), 0) >= 1,
        `PDB ${pdb.metadata.name} maxUnavailable ${pdb.spec.maxUnavailable} allows no disruption`);
    }
  }

  // NetworkPolicy: the CronJob on /api, the scraper on the management port in a rule of its own,
  // and the egress the service needs when egress is restricted.
  const cronJobs = of('CronJob');
  for (const np of of('NetworkPolicy')) {
    check(label, selects(np.spec.podSelector?.matchLabels, podLabels), `NetworkPolicy ${np.metadata.name} does not select the pods`);
    const rulePorts = (rule) => (rule.ports || []).map((p) => resolvePort(p.port, container));
    for (const rule of np.spec.ingress || []) {
      check(label, !!rule.ports && rule.from?.length > 0, `NetworkPolicy ${np.metadata.name} has an ingress rule open to any peer or port`);
      const rp = rulePorts(rule);
      check(label, !(rp.includes(appPort) && rp.includes(mgmtPort)),
        `NetworkPolicy ${np.metadata.name} admits the same peers to /api and the management port`);
    }
    check(label, (np.spec.ingress || []).some((rule) => JSON.stringify(rulePorts(rule)) === JSON.stringify([mgmtPort])),
      `NetworkPolicy ${np.metadata.name} has no rule of its own admitting the metrics scraper to the management port ${mgmtPort}`);
    for (const cj of cronJobs) {
      const cjLabels = cj.spec.jobTemplate.spec.template.metadata?.labels || {};
      const admitted = (np.spec.ingress || []).some((rule) =>
        (rule.from || []).some((peer) => peer.podSelector && !peer.namespaceSelector
          && selects(peer.podSelector.matchLabels, cjLabels))
        && rulePorts(rule).includes(appPort));
      check(label, admitted, `NetworkPolicy ${np.metadata.name} does not let CronJob ${cj.metadata.name} reach port ${appPort}`);
    }
    if ((np.spec.policyTypes || []).includes('Egress')) {
      const out = (port, protocol = 'TCP') => (np.spec.egress || []).some((rule) =>
        (rule.ports || []).some((p) => Number(p.port) === Number(port) && (p.protocol ?? 'TCP') === protocol));
      const pgPort = Number((cm?.data?.QUARKUS_DATASOURCE_PG_JDBC_URL ?? '').match(/^jdbc:postgresql:\/\/[^/:]+:(\d+)\//)?.[1] ?? 5432);
      const smtpPort = Number(cm?.data?.QUARKUS_MAILER_PORT ?? 25);
      for (const [what, port, protocol] of [['DNS', 53, 'UDP'], ['DNS', 53, 'TCP'], ['PostgreSQL', pgPort, 'TCP'],
        ['SMTP', smtpPort, 'TCP'], ['SFMC (HTTPS)', 443, 'TCP']]) {
        check(label, out(port, protocol), `NetworkPolicy ${np.metadata.name} restricts egress but does not allow ${what} (${protocol} ${port})`);
      }
    }
  }

  // ServiceMonitor: the management port of the Service, /q/metrics.
  for (const sm of of('ServiceMonitor')) {
    check(label, !!svc && selects(sm.spec.selector?.matchLabels, svc.metadata.labels), `ServiceMonitor ${sm.metadata.name} does not select the Service`);
    for (const ep of sm.spec.endpoints || []) {
      check(label, !!mgmtServicePort && ep.port === mgmtServicePort.name && ep.path === '/q/metrics',
        `ServiceMonitor ${sm.metadata.name} scrapes ${ep.port}${ep.path}, not the management port's /q/metrics`);
    }
  }
  // Grafana dashboard ConfigMaps: the sidecar's label and JSON that parses.
  for (const dash of configMaps.filter((c) => c.metadata.labels?.grafana_dashboard)) {
    for (const [k, v] of Object.entries(dash.data || {})) {
      let ok = true;
      try { ok = Array.isArray(JSON.parse(v).panels); } catch { ok = false; }
      check(label, ok, `dashboard ConfigMap ${dash.metadata.name} key ${k} is not a Grafana dashboard JSON`);
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
  const cjEnv = Object.fromEntries((cjc.env || []).map((e) => [e.name, e]));
  const script = [...(cjc.command || []), ...(cjc.args || [])].join(' ');
  const flag = (name) => Number(script.match(new RegExp(`--${name}\\s+(\\d+)`))?.[1] ?? 0);
  const worst = (flag('retry') + 1) * flag('max-time') + flag('retry') * flag('retry-delay');
  check(label, flag('max-time') > 0 && worst < (cj.spec.jobTemplate.spec.activeDeadlineSeconds ?? Infinity),
    `CronJob curl may take ${worst}s ((--retry + 1) x --max-time + --retry x --retry-delay), not below activeDeadlineSeconds `
    + `${cj.spec.jobTemplate.spec.activeDeadlineSeconds}`);
  check(label, /^[a-z0-9.-]+(:\d+)?\/[^@:]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/.test(cjc.image) && /[.:]/.test(cjc.image.split('/')[0]),
    `CronJob image ${cjc.image} is not registry/repository:tag or @digest`);
  check(label, cjPod.enableServiceLinks === false, 'the CronJob pods get service links (enableServiceLinks is not false)');
  check(label, script.includes('/api/v1/runs/complete-idle'), 'CronJob does not call /api/v1/runs/complete-idle');
  check(label, /-X POST|--request POST/.test(script), 'CronJob does not POST');
  check(label, /X-API-Key/.test(script), 'CronJob sends no X-API-Key header');
  check(label, !/X-API-Key:\s*[A-Za-z0-9]{12,}/.test(script), 'CronJob has a literal API key in its command');
  const keyRef = cjEnv.API_KEY?.valueFrom?.secretKeyRef;
  check(label, !!keyRef, 'CronJob API_KEY does not come from a Secret');
  if (svc) {
    const url = cjEnv.SERVICE_URL?.value ?? '';
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
    check(label, 'QUARKUS_DATASOURCE_PG_PASSWORD' in app || env.some((e) => e.name === 'QUARKUS_DATASOURCE_PG_PASSWORD'),
      'neither the app Secret nor the env has QUARKUS_DATASOURCE_PG_PASSWORD');
  }
  if (failed === failedBefore) {
    console.log(`ok   [${label}] ${file}: ports ${appPort}/${mgmtPort}, probes ${Object.values(expectedProbes).join(' ')} on ${mgmtPort}, `
      + `replicas ${hpa ? `HPA ${minReplicas}-${maxReplicas}` : dep.spec.replicas}, strategy ${dep.spec.strategy?.type}`);
  }
}

console.log(`contract checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
