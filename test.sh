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
# The admin page's browser tests drive Debian's chromium through Playwright's ExecutablePath (Playwright's own browser
# download cannot run here; its driver ships inside the NuGet package). Installed once, quietly, when missing.
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing chromium (apt-get)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test.sh: chromium is required for the admin page tests: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
dotnet build IntegrationsFunctions.sln -c Release --nologo -v quiet
# The client SDK's package (nupkg + snupkg with XML docs): what a user's service would add.
dotnet pack src/Integrations.Client -c Release --no-build --nologo -v quiet -o artifacts/packages

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test IntegrationsFunctions.sln -c Release --no-build --nologo --logger "trx" --results-directory "$results" "$@" || status=$?
node scripts/trx-summary.js "$results"
exit $status
