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
  runtimes) main=dev.crownest.systemtest.bench.RuntimeBackendsBench ;;
  *) die "unknown benchmark '${name}'; known: lifecycle, metering, api, runtime, runtimes" ;;
esac
stack_up >/dev/null
extra=()
if [ "$name" = runtimes ]; then
  # The docker runtime beside the stack's runsc one: a second node agent for this run only, with its own
  # port, state dir and Docker daemon (stack.sh dockerd_start), no warm pool; stopped at the end.
  stop_dockerd=dockerd_stop
  pid_alive "$CROWNEST_HOME/pids/dockerd.pid" && stop_dockerd=true # the stack's own runtime: it stays
  dockerd_start
  docker_agent_port=$((PORT_BASE + 9))
  mapfile -t assignments < <(service_env node-agent)
  env "${assignments[@]}" SERVER_PORT="$docker_agent_port" CROWNEST_NODE_ID=node-docker \
    CROWNEST_NODE_STATE_DIR="$CROWNEST_HOME/node-docker" CROWNEST_NODE_RUNTIME=docker CROWNEST_NODE_DOCKER_HOST="$(docker_host)" \
    CROWNEST_NODE_WARMPOOL_BASE=0 CROWNEST_NODE_LIMITS_WORKSPACE_POOL=0 CROWNEST_NODE_DOCKER_CHECKPOINTS=true \
    nohup java -XX:TieredStopAtLevel=1 -Xms32m -Xmx192m -XX:+UseSerialGC \
    -jar "$(ls "$ROOT/node-agent/target/run/node-agent"-*.jar | head -1)" > "$CROWNEST_HOME/logs/node-agent-docker.log" 2>&1 &
  echo $! > "$CROWNEST_HOME/pids/node-agent-docker.pid"
  trap 'kill_pidfile "$CROWNEST_HOME/pids/node-agent-docker.pid"; $stop_dockerd' EXIT
  for ((i = 0; i < 1200; i++)); do
    curl -fsS -m 2 "http://127.0.0.1:$docker_agent_port/actuator/health" 2>/dev/null | grep -q '"status":"UP"' && break
    pid_alive "$CROWNEST_HOME/pids/node-agent-docker.pid" || die "the docker node agent exited, see $CROWNEST_HOME/logs/node-agent-docker.log"
    sleep 0.2
  done
  extra=(-Dcrownest.docker-node-agent-url="http://127.0.0.1:$docker_agent_port")
fi
# Benchmarks read Kafka and the databases directly, as the system tests do.
eval "$(infra_env | sed 's/^/export /')"
export CROWNEST_ENV_FILE="$CROWNEST_HOME/env" CROWNEST_HOME CROWNEST_ROOT="$ROOT"
java "${extra[@]}" -cp "$ROOT/system-tests/target/classes:$ROOT/system-tests/target/lib/*" \
  -Dcrownest.env-file="$CROWNEST_HOME/env" -Dcrownest.templates-dir="$TEMPLATES_DIR" \
  -Dcrownest.sandbox-service-url="http://127.0.0.1:$(service_port sandbox-service)" \
  -Dcrownest.node-agent-url="http://127.0.0.1:$(service_port node-agent)" -Dcrownest.node-state-dir="$CROWNEST_HOME/node" \
  -Dcrownest.runsc-root="$CROWNEST_HOME/node/runsc" "$main" "$@"
