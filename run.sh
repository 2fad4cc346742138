#!/usr/bin/env bash
# Sets up and runs Integrations Hub locally: installs Azurite (npm), builds the Server, starts Azurite on free
# loopback ports with its data in .azurite/, and runs the Server on http://127.0.0.1:${PORT:-7071}.
# Development keys (local root key, admin key) are created once in .local/ and reused, so data survives restarts.
set -euo pipefail
cd "$(dirname "$0")"
for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required (see README.md)" >&2; exit 1; }
done

[ -f node_modules/azurite/dist/src/azurite.js ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build src/Integrations.Server/Integrations.Server.csproj -c Release --nologo -v quiet

mkdir -p .local .azurite
[ -s .local/root.key ] || head -c 32 /dev/urandom | base64 > .local/root.key
[ -s .local/admin.key ] || printf 'ihadmin_%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '/+=')" > .local/admin.key
chmod 600 .local/root.key .local/admin.key

log=.local/azurite.log
: > "$log"
# --silent: no access log (a line per request, which would grow this file without bound); errors still land here.
node node_modules/azurite/dist/src/azurite.js --location .azurite --silent --disableTelemetry --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --blobPort 0 --queueHost 127.0.0.1 --queuePort 0 --tableHost 127.0.0.1 --tablePort 0 >"$log" 2>&1 &
azurite=$!
trap 'kill $azurite 2>/dev/null || true' EXIT INT TERM

port_of() { sed -n "s/.*Azurite $1 service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p" "$log" | head -1; }
for _ in $(seq 1 300); do
  [ -n "$(port_of Blob)" ] && [ -n "$(port_of Queue)" ] && [ -n "$(port_of Table)" ] && break
  kill -0 $azurite 2>/dev/null || { cat "$log" >&2; echo "run.sh: Azurite failed to start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$(port_of Table)" ] || { cat "$log" >&2; echo "run.sh: Azurite did not start in 30 s" >&2; exit 1; }

account='AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export Storage="DefaultEndpointsProtocol=http;$account;BlobEndpoint=http://127.0.0.1:$(port_of Blob)/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$(port_of Queue)/devstoreaccount1;TableEndpoint=http://127.0.0.1:$(port_of Table)/devstoreaccount1;"
export KeyWrapping__Provider=Local
export KeyWrapping__RootKey="$(cat .local/root.key)"
export Hub__AdminKey="$(cat .local/admin.key)"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
url="http://127.0.0.1:${PORT:-7071}"
# OAuth redirect URIs and start links are built from it: the Server's own URL unless set (e.g. behind a tunnel).
export Hub__PublicBaseUrl="${Hub__PublicBaseUrl:-$url}"

cat <<MSG

  Integrations Hub on $url   (Azurite: table $(port_of Table), queue $(port_of Queue), blob $(port_of Blob))
  Local admin key (creates organizations): $Hub__AdminKey

  Try:  curl -s -X POST $url/v1/orgs -H "Authorization: Bearer \$(cat .local/admin.key)" \\
             -H 'Content-Type: application/json' -d '{"name":"Acme"}'

MSG
dotnet src/Integrations.Server/bin/Release/net10.0/Integrations.Server.dll --urls "$url" --contentRoot "$PWD/src/Integrations.Server"
