#!/usr/bin/env bash
# A self-contained single-file `longhaul` (no .NET install needed on the target): artifacts/publish/<rid>/longhaul.
# Usage: scripts/publish.sh [rid]   (default linux-x64; the runtime packs restore from NuGet)
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-linux-x64}"
out="artifacts/publish/${rid}"
export NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-offline}" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rm -rf "${out}"
# The runtime settings of Longhaul.Server.csproj (workstation GC, no quick JIT, no thread-pool spinning, ADR 9) are
# compiled into the single file's runtime configuration as they are into longhaul.runtimeconfig.json.
# ReadyToRun: Longhaul's own code and its libraries (System.CommandLine, Spectre.Console, Npgsql, SQLite) are
# precompiled like the framework's, so the client commands start in ~0.15 s instead of ~0.35-0.45 s, which the
# JIT spent on them with quick JIT off (bench/cli-start.sh, docs/benchmarks.md). The file grows by ~35 MB.
dotnet publish src/Longhaul.Server/Longhaul.Server.csproj -c Release -r "${rid}" --self-contained true \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=embedded -p:PublishReadyToRun=true \
  -p:GenerateDocumentationFile=false \
  --artifacts-path artifacts/build -o "${out}"
echo "${out}/longhaul"
