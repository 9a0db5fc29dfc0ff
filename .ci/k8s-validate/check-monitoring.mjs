// Checks the chart's monitoring objects against each other and the repository, and writes the
// PrometheusRule's rule groups as a plain Prometheus rule file for promtool.
//
//   node check-monitoring.mjs REPO_ROOT RENDERED.yaml RULES_OUT.yaml
//
// RENDERED.yaml must hold a PrometheusRule and the dashboard ConfigMap (the chart rendered with
// the monitoring switches on). Checks: every alert has a runbook_url whose anchor is a section of
// docs/runbook.md, and a severity; .ci/prometheus/alerts-test.yaml has, for every alert, a case
// where it fires and one where it must stay silent (promtool itself then runs them); the
// dashboard's panels all have a PromQL expression. Exits 1 on any problem.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';

const [root, rendered, rulesOut] = process.argv.slice(2);
if (!root || !rendered || !rulesOut) {
  console.error('usage: node check-monitoring.mjs REPO_ROOT RENDERED.yaml RULES_OUT.yaml');
  process.exit(2);
}
let passed = 0;
let failed = 0;
function check(ok, message) {
  if (ok) passed++; else { failed++; console.error(`FAIL ${message}`); }
  return ok;
}

const docs = yaml.loadAll(readFileSync(rendered, 'utf8')).filter(Boolean);
const rule = docs.find((d) => d.kind === 'PrometheusRule');
const dashboards = docs.filter((d) => d.kind === 'ConfigMap' && d.metadata?.labels?.grafana_dashboard);
if (!check(!!rule, `no PrometheusRule in ${rendered}`) | !check(dashboards.length === 1, `expected one dashboard ConfigMap in ${rendered}`)) {
  process.exit(1);
}
writeFileSync(rulesOut, yaml.dump(rule.spec));

// Sections of docs/runbook.md, by the anchor GitHub/GitLab give a heading.
const anchor = (h) => h.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
const runbook = readFileSync(join(root, 'docs/runbook.md'), 'utf8');
const sections = new Set(runbook.split('\n').filter((l) => /^#{2,4} /.test(l)).map((l) => anchor(l.replace(/^#+ /, ''))));

const tests = yaml.load(readFileSync(join(root, '.ci/prometheus/alerts-test.yaml'), 'utf8'));
const cases = (tests.tests || []).flatMap((t) => t.alert_rule_test || []);
const alerts = rule.spec.groups.flatMap((g) => g.rules).filter((r) => r.alert);
check(alerts.length > 0, 'the PrometheusRule has no alert');
for (const a of alerts) {
  check(['critical', 'warning', 'info'].includes(a.labels?.severity), `${a.alert} has no severity label`);
  const url = a.annotations?.runbook_url ?? '';
  const hash = url.split('#')[1];
  check(!!hash && sections.has(hash), `${a.alert}: runbook_url ${url} has no section #${hash} in docs/runbook.md`);
  check(!!a.annotations?.summary && !!a.annotations?.description, `${a.alert} lacks a summary or description`);
  check(cases.some((c) => c.alertname === a.alert && (c.exp_alerts || []).length > 0),
    `${a.alert} has no promtool test case in which it fires`);
  check(cases.some((c) => c.alertname === a.alert && (c.exp_alerts || []).length === 0),
    `${a.alert} has no promtool test case in which it stays silent`);
}
for (const c of cases) {
  check(alerts.some((a) => a.alert === c.alertname), `alerts-test.yaml tests ${c.alertname}, which is not a rule`);
}

for (const d of dashboards) {
  for (const [key, json] of Object.entries(d.data || {})) {
    const dash = JSON.parse(json);
    check(dash.panels.length > 0, `dashboard ${key} has no panel`);
    for (const p of dash.panels) {
      check((p.targets || []).length > 0 && p.targets.every((t) => typeof t.expr === 'string' && t.expr.length > 0),
        `dashboard ${key}: panel "${p.title}" has a target without a PromQL expression`);
    }
  }
}
console.log(`monitoring checks: ${passed} passed, ${failed} failed (${alerts.length} alerts, ${cases.length} test cases)`);
process.exit(failed ? 1 : 0);
