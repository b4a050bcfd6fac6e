#!/bin/sh
# ESLint over web/ and tests/browser/, run from the repository root (the config's paths are
# relative to it). Usage: lint.sh <node>. Fails with a hint when Node.js or the packages are missing.
node="$1"
cd "$(dirname "$0")/../.." || exit 1
here=tests/lint
if [ -z "$node" ] || [ "$node" = NODE_PROGRAM-NOTFOUND ]; then
  echo "lint_web: node is missing (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -f "$here/node_modules/eslint/bin/eslint.js" ]; then
  echo "lint_web: eslint is not installed: (cd tests/lint && npm ci)" >&2
  exit 1
fi
exec "$node" "$here/node_modules/eslint/bin/eslint.js" --config "$here/eslint.config.mjs" --max-warnings=0 \
  web tests/browser tests/lint
