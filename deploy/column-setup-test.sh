#!/usr/bin/env bash
# Test tools of the column that come from npm: axe-core (accessibility checks injected by Playwright).
# It is a devDependency in the root package.json (exact version in package-lock.json, beside the field app's
# libraries): `npm ci` installs the locked tree into node_modules/ (git-ignored); idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "npm is missing: apt-get install npm" >&2; exit 1; }
VERSION=$(node -e "console.log(require('./package-lock.json').packages['node_modules/axe-core'].version)")
if [ -f node_modules/axe-core/axe.min.js ] && node -e "process.exit(require('./node_modules/axe-core/package.json').version === '$VERSION' ? 0 : 1)" 2>/dev/null; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
test -f node_modules/axe-core/axe.min.js
