#!/usr/bin/env bash
# ./crownest bench NAME [ARGS]: runs a benchmark against the platform of CROWNEST_HOME (started if
# it is not up) and prints its figures. Benchmarks live in system-tests (dev.crownest.systemtest.bench).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=stack.sh
source "$ROOT/infra/scripts/stack.sh"
name="${1:-}"; [ $# -gt 0 ] && shift
case "$name" in
  lifecycle) main=dev.crownest.systemtest.bench.LifecycleBench ;;
  metering) main=dev.crownest.systemtest.bench.MeteringBench ;;
  api) main=dev.crownest.systemtest.bench.ApiBench
    # the load comes from wrk, a second process on loopback
    command -v wrk >/dev/null || require_packages wrk ;;
  runtime) main=dev.crownest.systemtest.bench.RuntimeBench ;;
  *) die "unknown benchmark '${name}'; known: lifecycle, metering, api, runtime" ;;
esac
stack_up >/dev/null
# Benchmarks read Kafka and the databases directly, as the system tests do.
eval "$(infra_env | sed 's/^/export /')"
export CROWNEST_ENV_FILE="$CROWNEST_HOME/env" CROWNEST_HOME CROWNEST_ROOT="$ROOT"
exec java -cp "$ROOT/system-tests/target/classes:$ROOT/system-tests/target/lib/*" \
  -Dcrownest.env-file="$CROWNEST_HOME/env" -Dcrownest.templates-dir="$TEMPLATES_DIR" \
  -Dcrownest.sandbox-service-url="http://127.0.0.1:$(service_port sandbox-service)" \
  -Dcrownest.node-agent-url="http://127.0.0.1:$(service_port node-agent)" -Dcrownest.node-state-dir="$CROWNEST_HOME/node" \
  -Dcrownest.runsc-root="$CROWNEST_HOME/node/runsc" "$main" "$@"
