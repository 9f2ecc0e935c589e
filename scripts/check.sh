#!/usr/bin/env bash
# npm run check — the static checks, before any test (npm test and .ci/run run it first). No Spark, no browser.
#   TypeScript: tsc --noEmit; Biome lint + format (biome.jsonc); the dependency rule of bench/ and the gen/bench
#   boundary (.dependency-cruiser.cjs); unused files, dependencies and exports (knip.json); no import() of a
#   variable (a dependency the tools above cannot see).
#   Python: scripts/check-py.sh (ruff check, ruff format --check, mypy), when it exists.
# Every check runs; each prints one verdict line; the exit code is non-zero if any failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ensure_node_modules
cd "$ROOT"
failed=()
step() {
  local name=$1
  shift
  if "$@"; then say "ok: $name"; else say "FAILED: $name (run: $*)"; failed+=("$name"); fi
}
dynamic_imports() {
  # import() with anything but a string literal hides a dependency from tsc, depcruise and knip.
  ! grep -rnE --include='*.ts' --include='*.js' --include='*.mjs' "import\(\s*[^'\"\` ]" bench bin generator test
}
step "tsc --noEmit" npx --no-install tsc --noEmit -p .
step "biome ci (lint + format)" npx --no-install biome ci --error-on-warnings
step "dependency rule (depcruise)" npx --no-install depcruise bench bin generator test --config .dependency-cruiser.cjs --output-type err
step "unused files, dependencies, exports (knip)" npx --no-install knip
step "no import() of a variable" dynamic_imports
if [ -f "$ROOT/scripts/check-py.sh" ]; then step "python checks (scripts/check-py.sh)" bash "$ROOT/scripts/check-py.sh"; fi
if [ ${#failed[@]} -gt 0 ]; then
  say "${#failed[@]} check(s) failed: ${failed[*]}"
  exit 1
fi
say "all checks passed"
