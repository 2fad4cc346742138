#!/usr/bin/env bash
# Sets up and runs the whole test suite: installs Azurite (npm ci), restores and builds the whole solution
# (IntegrationsFunctions.sln: every project, the Functions app included), and runs every test project in it.
# Integration tests start their own Azurite on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")"
for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "test.sh: $tool is required (see README.md)" >&2; exit 1; }
done

npm ci --no-audit --no-fund --loglevel=error
dotnet build IntegrationsFunctions.sln -c Release --nologo -v quiet

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test IntegrationsFunctions.sln -c Release --no-build --nologo --logger "trx" --results-directory "$results" "$@" || status=$?
node scripts/trx-summary.js "$results"
exit $status
