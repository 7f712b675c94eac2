#!/usr/bin/env bash
# Test tools of the column that come from npm: axe-core (accessibility checks injected by Playwright).
# Installs into node_modules/ at the repository root (git-ignored); idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${AXE_CORE_VERSION:-4.14}
if [ -f node_modules/axe-core/axe.min.js ] && node -e "process.exit(require('./node_modules/axe-core/package.json').version.startsWith('$VERSION') ? 0 : 1)" 2>/dev/null; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is missing: apt-get install npm" >&2; exit 1; }
npm install --prefix "$PWD" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "axe-core@~$VERSION"
test -f node_modules/axe-core/axe.min.js
