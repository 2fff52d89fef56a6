#!/usr/bin/env bash
# ./crownest test: every module's tests against real PostgreSQL and Kafka, then the end-to-end
# system tests against a whole stack with real gVisor sandboxes. Each phase gets a throwaway stack
# of its own (ports below), removed at the end, so a running `./crownest up` is left alone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CROWNEST_HOME="${CROWNEST_TEST_HOME:-$ROOT/.crownest/test}"
export CROWNEST_PORT_BASE="${CROWNEST_TEST_PORT_BASE:-28080}"
export CROWNEST_KAFKA_PORT="${CROWNEST_TEST_KAFKA_PORT:-29092}"
export CROWNEST_PG_PORT="${CROWNEST_TEST_PG_PORT:-25433}"
# Every suite runs from 127.0.0.1 and many send refused credentials on purpose: the limit on failed
# authentications (per source address and credential prefix) is out of their reach here; the gateway's
# EdgeIntegrationTest runs one with a low limit.
export CROWNEST_AUTH_LIMIT_FAILURES_PER_MINUTE="${CROWNEST_AUTH_LIMIT_FAILURES_PER_MINUTE:-1000000}"
export CROWNEST_AUTH_LIMIT_BURST="${CROWNEST_AUTH_LIMIT_BURST:-1000000}"
# Sign-ups are limited per source address too (5 a minute); the suites sign up many tenants from 127.0.0.1,
# and the gateway's SignupIntegrationTest runs the limit itself.
export CROWNEST_SIGNUP_LIMIT_PER_MINUTE="${CROWNEST_SIGNUP_LIMIT_PER_MINUTE:-1000000}"
export CROWNEST_SIGNUP_LIMIT_BURST="${CROWNEST_SIGNUP_LIMIT_BURST:-1000000}"
# shellcheck source=stack.sh
source "$ROOT/infra/scripts/stack.sh"

trap 'stack_down --purge >/dev/null 2>&1 || true' EXIT
stack_down --purge >/dev/null 2>&1 || true
mkdir -p "$CROWNEST_HOME/logs" "$CROWNEST_HOME/pids"
ensure_prerequisites
# python and node: the node agent's integration tests run code in them.
ensure_template base python node

log "format: every module, system tests and benchmarks included (mvn spotless:apply fixes it)"
(cd "$ROOT" && mvn -B -q spotless:check)

log "phase 1: module tests (aggregate fixtures, services against real PostgreSQL and Kafka)"
eval "$(stack_up --infra-only | sed 's/^/export /')"
# The node agent's runtime tests run a second time on the docker runtime (node-agent pom, profile
# docker-runtime-tests), against a Docker daemon of this stack's own.
dockerd_start
export CROWNEST_TEST_DOCKER_HOST="$(docker_host)"
# verify, not install: nothing of this checkout is written to ~/.m2, so checkouts side by side
# (worktrees, CI) never read each other's jars. The benchmarks build on system-tests' main code, so
# they wait for phase 2 with it.
(cd "$ROOT" && mvn -B verify -pl '!system-tests,!benchmarks')
stack_down --purge >/dev/null

log "phase 2: end-to-end through the public API (whole stack, real gVisor)"
mkdir -p "$CROWNEST_HOME/logs" "$CROWNEST_HOME/pids"
stack_up
eval "$(stack_up --infra-only | sed 's/^/export /')"
export CROWNEST_ENV_FILE="$CROWNEST_HOME/env" CROWNEST_ROOT="$ROOT"
# -am builds contracts from this checkout too; the filter keeps the module tests of phase 1 from running again.
# The benchmarks have no tests: built here, so a change that breaks them fails the suite.
(cd "$ROOT" && mvn -B -o test -pl system-tests,benchmarks -am -DskipSystemTests=false \
  -Dtest="${CROWNEST_SYSTEM_TESTS:-dev/crownest/systemtest/**/*Test}" -Dsurefire.failIfNoSpecifiedTests=false) || {
  log "system tests failed; service logs are in $CROWNEST_HOME/logs (kept in $ROOT/.crownest/test-logs)"
  rm -rf "$ROOT/.crownest/test-logs"; cp -r "$CROWNEST_HOME/logs" "$ROOT/.crownest/test-logs"
  exit 1
}
log "phase 2: the SDKs, the CLI, MCP and the console against the same stack (JUnit, node --test, pytest, chromium)"
# npm ci brings only the type checker (the SDK has no runtime dependency) and the official MCP client;
# pytest is Debian's where python3 has none.
missing_node=(); command -v node >/dev/null || missing_node+=(nodejs); command -v npm >/dev/null || missing_node+=(npm)
# the console's tests drive Debian's chromium (headless) with playwright-core
command -v chromium >/dev/null || missing_node+=(chromium)
require_packages "${missing_node[@]}"
PY=python3; "$PY" -m pytest --version >/dev/null 2>&1 || { require_packages python3-pytest; PY=/usr/bin/python3; }
{
  # The Java SDK's tests tagged "stack" run only with -DskipSystemTests=false (its unit tests ran in phase 1).
  (cd "$ROOT" && mvn -B -o test -pl sdk/java -DskipSystemTests=false) &&
  (cd "$ROOT/sdk/typescript" && npm ci --no-audit --no-fund --prefer-offline >/dev/null && npm run -s typecheck \
    && npm test) &&
  (cd "$ROOT/sdk/python" && "$PY" -m pytest -q -p no:cacheprovider tests) &&
  # /v1/mcp driven by the official MCP TypeScript client
  (cd "$ROOT/system-tests/mcp-client" && npm ci --no-audit --no-fund --loglevel=error && node --test) &&
  # the web console (built by stack_up, served by this stack's gateway) in chromium; screenshots of
  # every page in console/test-results/
  (cd "$ROOT/console" && npm ci --no-audit --no-fund --loglevel=error && npm run -s typecheck && npm run -s build \
    && node --test)
} || {
  log "SDK, CLI, MCP or console tests failed; service logs are in $ROOT/.crownest/test-logs"
  rm -rf "$ROOT/.crownest/test-logs"; cp -r "$CROWNEST_HOME/logs" "$ROOT/.crownest/test-logs"
  exit 1
}
log "all tests passed"
