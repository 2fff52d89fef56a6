#!/usr/bin/env bash
# ./crownest bench NAME [ARGS]: runs a benchmark against the platform of CROWNEST_HOME (started if it
# is not up) and prints its figures, each beside a baseline measured in the same run.
#
#   lifecycle [N]                                 sandboxes through the API beside bare runsc
#   runtime [N] [IDLE]                            the node runtime beside bare runsc; idle sandboxes' memory
#   runtimes [N]                                  the node agent's runsc and docker runtimes side by side
#   metering [SAMPLES] [KILLS] [AUDIT_EVENTS] [ROUNDS]  metering and audit throughput (KILLS 0: no sandboxes), hard-cap breach to kill, credits exhausted to pause
#   api [SECONDS] [STREAM_MB] [ROUNDS] [FILE_MB] [FOLLOW_MB]  the public edge: reads, replays, SDK overhead, streams, a follower, files
#   idle [SETTLE_S] [MEASURE_S]                   CPU of every process of the stack while nothing happens
#   webhooks [N]                                  signed webhook delivery after the event, beside a bare Kafka reader
#
# The benchmarks are the module benchmarks (dev.crownest.bench); docs/benchmarks.md has figures measured.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=stack.sh
source "$ROOT/infra/scripts/stack.sh"

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# The benchmarks' classes and classpath (benchmarks/target/classes and lib): `up` builds them with the
# rest, but builds nothing while the stack runs, so a bench, or the clients and contracts it uses,
# changed since then is built here (the services keep running on what they were built from).
ensure_bench_built() {
  local stamp="$ROOT/benchmarks/target/.built" full="$ROOT/infra/target/.built" newer=()
  [ -f "$full" ] && newer+=(-newer "$full")
  [ -f "$stamp" ] && newer+=(-newer "$stamp")
  if [ ${#newer[@]} -gt 0 ] && [ -d "$ROOT/benchmarks/target/lib" ] && [ -z "$(find "$ROOT/pom.xml" \
    "$ROOT/benchmarks" "$ROOT/system-tests/pom.xml" "$ROOT/system-tests/src/main" "$ROOT/sdk/java" "$ROOT/contracts" "$ROOT/service-kit" \
    -path '*/target' -prune -o \( -name '*.java' -o -name pom.xml \) "${newer[@]}" -print -quit)" ]; then
    return 0
  fi
  log "building the benchmarks"
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks -am) > "$CROWNEST_HOME/bench-build.log" 2>&1 \
    || { tail -40 "$CROWNEST_HOME/bench-build.log" >&2; die "build failed, see $CROWNEST_HOME/bench-build.log"; }
  touch "$stamp"
}

name="${1:-}"; [ $# -gt 0 ] && shift
case "$name" in
  lifecycle) main=dev.crownest.bench.lifecycle.LifecycleBench ;;
  metering) main=dev.crownest.bench.metering.MeteringBench ;;
  api) main=dev.crownest.bench.api.ApiBench
    # the load comes from wrk, a second process on loopback
    command -v wrk >/dev/null || require_packages wrk ;;
  runtime) main=dev.crownest.bench.runtime.RuntimeBench ;;
  runtimes) main=dev.crownest.bench.runtime.RuntimeBackendsBench ;;
  idle) main=dev.crownest.bench.idle.IdleBench ;;
  webhooks) main=dev.crownest.bench.webhook.WebhookBench ;;
  -h|--help|help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
  *) printf "[crownest] error: unknown benchmark '%s'\n" "$name" >&2; usage >&2; exit 2 ;;
esac
stack_up >/dev/null
ensure_bench_built
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
java "${extra[@]}" -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" \
  -Dcrownest.env-file="$CROWNEST_HOME/env" -Dcrownest.templates-dir="$TEMPLATES_DIR" \
  -Dcrownest.sandbox-service-url="http://127.0.0.1:$(service_port sandbox-service)" \
  -Dcrownest.node-agent-url="http://127.0.0.1:$(service_port node-agent)" -Dcrownest.node-state-dir="$CROWNEST_HOME/node" \
  -Dcrownest.runsc-root="$CROWNEST_HOME/node/runsc" -Dcrownest.pg-data="$(pg_dir)/data" "$main" "$@"
