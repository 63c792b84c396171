#!/usr/bin/env bash
# Builds and lints infra/ with the Bicep CLI from NuGet (tools/Bicep), with no network beyond the package registry.
# The linter's rules are errors (infra/bicepconfig.json); any warning the compiler or linter prints fails too.
set -euo pipefail
cd "$(dirname "$0")/../.."

dotnet build tools/Bicep --nologo -v quiet
bicep=$(dotnet msbuild tools/Bicep -getProperty:BicepPath)
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
"$bicep" build infra/main.bicep --outdir "$log" 2>&1 | tee "$log/build.txt"
"$bicep" lint infra/main.bicep 2>&1 | tee "$log/lint.txt"
if grep -qi 'warning' "$log/build.txt" "$log/lint.txt"; then
  echo "Bicep printed warnings: infra/ must build and lint clean." >&2
  exit 1
fi
echo "infra/main.bicep: build and lint clean (Bicep $("$bicep" --version | sed -E 's/.*version ([^ ]+).*/\1/'))"
