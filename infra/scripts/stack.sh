# Functions that start and stop one CrowNest stack on this machine. Sourced by ./crownest;
# ROOT is the repository (found from this file when the caller did not set it). One stack lives
# in CROWNEST_HOME: pids/, logs/, data, env.
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

CROWNEST_HOME="${CROWNEST_HOME:-$ROOT/.crownest}"
case "$CROWNEST_HOME" in /*) ;; *) CROWNEST_HOME="$ROOT/$CROWNEST_HOME" ;; esac
PORT_BASE="${CROWNEST_PORT_BASE:-8080}"
KAFKA_PORT="${CROWNEST_KAFKA_PORT:-9092}"
PG_PORT="${CROWNEST_PG_PORT:-5433}"
TEMPLATES_DIR="${CROWNEST_TEMPLATES_DIR:-$HOME/.cache/crownest/templates}"
PG_OS_USER=crownest
SERVICES=(sandbox-service execution-worker node-agent metering-service billing-service audit-service api-gateway)
DATABASES=(crownest_sandbox crownest_metering crownest_billing crownest_audit crownest_gateway)

log() { printf '[crownest] %s\n' "$*" >&2; }
die() { printf '[crownest] error: %s\n' "$*" >&2; exit 1; }

service_port() {
  local i
  case "$1" in
    api-gateway) i=0 ;; sandbox-service) i=1 ;; execution-worker) i=2 ;; node-agent) i=3 ;;
    metering-service) i=4 ;; billing-service) i=5 ;; audit-service) i=6 ;;
    *) die "no port for $1" ;;
  esac
  echo $((PORT_BASE + i))
}

is_root() { [ "$(id -u)" = 0 ]; }

# Installs Debian packages when we may (root with apt); otherwise prints the one command to run.
require_packages() {
  [ $# -gt 0 ] || return 0
  if is_root && command -v apt-get >/dev/null; then
    log "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>"$CROWNEST_HOME/apt.err" || {
      DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null || die "apt-get install $* failed"
    }
  else
    die "missing packages; run: sudo apt-get install -y $*"
  fi
}

# The first JDK >= 21: JAVA_HOME if it qualifies, else one under /usr/lib/jvm.
find_java_home() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] && [ -f "$candidate/release" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release")
    if [ "${v:-0}" -ge 21 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

# gVisor's runsc, the node agent's runtime: where it comes from and which
# version a Debian machine runs are decided here. Debian bookworm's own runsc (0.0~20221219) fails
# coreutils' statx (ls -l, stat) and has no systrap platform, so runsc comes from bookworm-backports,
# pinned there by an apt preferences file. Backports keeps only its newest build: a minimum version.
RUNSC_MIN_VERSION="0.0~20240729"
RUNSC_BACKPORTS_SOURCES=/etc/apt/sources.list.d/bookworm-backports.sources
RUNSC_PIN=/etc/apt/preferences.d/crownest-runsc

# CROWNEST_NODE_RUNSCPATH (the node agent's crownest.node.runsc-path): a runsc of the caller's own,
# checked but never installed; otherwise runsc on the PATH, installed from backports when too old.
runsc_bin() { echo "${CROWNEST_NODE_RUNSCPATH:-runsc}"; }

runsc_version() { "$(runsc_bin)" --version 2>/dev/null | sed -n 's/^runsc version //p' | head -1; }

runsc_recent_enough() {
  local v
  v="$(runsc_version)"
  [ -n "$v" ] && dpkg --compare-versions "$v" ge "$RUNSC_MIN_VERSION"
}

ensure_runsc() {
  runsc_recent_enough && return 0
  if [ -z "${CROWNEST_NODE_RUNSCPATH:-}" ] && is_root && command -v apt-get >/dev/null; then
    local changed=0
    # Any file already naming the suite will do (this one, or one the machine's owner wrote).
    if ! grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm-backports' \
        'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' > "$RUNSC_BACKPORTS_SOURCES"
      changed=1
    fi
    # Backports is at priority 100 (never chosen by itself): pin runsc, and only runsc, to it.
    local pin
    pin="$(printf '%s\n' 'Package: runsc' 'Pin: release n=bookworm-backports' 'Pin-Priority: 990')"
    if [ "$(cat "$RUNSC_PIN" 2>/dev/null)" != "$pin" ]; then
      printf '%s\n' "$pin" > "$RUNSC_PIN"
      changed=1
    fi
    if [ "$changed" = 1 ] || ! apt-cache policy runsc 2>/dev/null | grep -q bookworm-backports; then
      log "apt-get update (runsc from bookworm-backports)"
      DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>"$CROWNEST_HOME/apt.err" \
        || die "apt-get update failed, see $CROWNEST_HOME/apt.err"
    fi
    log "installing runsc >= $RUNSC_MIN_VERSION from bookworm-backports"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t bookworm-backports runsc >/dev/null 2>"$CROWNEST_HOME/apt.err" \
      || die "apt-get install runsc failed, see $CROWNEST_HOME/apt.err"
  fi
  runsc_recent_enough || die "$(runsc_bin) $(runsc_version || true) is older than $RUNSC_MIN_VERSION (or missing); as root:" \
    "add bookworm-backports to the apt sources and run: apt-get install -t bookworm-backports runsc"
}

# The JDK every build and service runs on (find_java_home), exported with its bin first on PATH.
ensure_java() {
  JAVA_HOME="$(find_java_home)" || die "no JDK >= 21 under /usr/lib/jvm; install one (e.g. Temurin 21+) and set JAVA_HOME"
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
}

# What building, testing and running a stack need on this machine: Debian packages installed when we
# may (require_packages), runsc, a JDK. Used by up, test, restart and CI (.ci/run). --no-runsc: for
# an infrastructure-only stack (Kafka, PostgreSQL), which runs no sandbox and leaves runsc as it is.
ensure_prerequisites() {
  mkdir -p "$CROWNEST_HOME"
  local missing=()
  command -v mvn >/dev/null || missing+=(maven)
  command -v curl >/dev/null || missing+=(curl)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v mkfs.erofs >/dev/null || missing+=(erofs-utils) # templates as EROFS images (build-template.sh)
  # Network modes restricted and open: netns and veth (iproute2), rules in an nftables table of our own.
  command -v ip >/dev/null || missing+=(iproute2)
  command -v nft >/dev/null || missing+=(nftables)
  # The node agent's build compiles the process agent every sandbox runs (static: gcc and libc.a).
  command -v gcc >/dev/null || missing+=(gcc)
  ls /usr/lib/*/libc.a >/dev/null 2>&1 || missing+=(libc6-dev)
  # The web console (console/) is built with Node.js and npm: Debian's (18) will do (console/build.mjs).
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ -z "${CROWNEST_PG_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
  require_packages "${missing[@]}"
  [ "${1:-}" = --no-runsc ] || ensure_runsc
  ensure_java
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
}

# HTTPS at the gateway: CROWNEST_TLS_CERT and CROWNEST_TLS_KEY (PEM) when given; else, with
# CROWNEST_TLS_HOST=name, a self-signed certificate for that name and its previews' hosts
# (*.$CROWNEST_PREVIEW_DOMAIN), made once per CROWNEST_HOME with Debian's openssl. Neither: plain HTTP.
ensure_tls() {
  TLS_CERT="${CROWNEST_TLS_CERT:-}"; TLS_KEY="${CROWNEST_TLS_KEY:-}"
  if [ -n "$TLS_CERT" ] || [ -z "${CROWNEST_TLS_HOST:-}" ]; then
    return 0
  fi
  command -v openssl >/dev/null || require_packages openssl
  local dir="$CROWNEST_HOME/tls" domain="${CROWNEST_PREVIEW_DOMAIN:-preview.localhost}"
  TLS_CERT="$dir/cert.pem"; TLS_KEY="$dir/key.pem"
  if [ ! -f "$TLS_CERT" ] || ! openssl x509 -in "$TLS_CERT" -noout -ext subjectAltName 2>/dev/null | grep -q "DNS:$CROWNEST_TLS_HOST\b"; then
    mkdir -p "$dir"
    (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
      -subj "/CN=$CROWNEST_TLS_HOST" -addext "subjectAltName=DNS:$CROWNEST_TLS_HOST,DNS:*.$domain" \
      -keyout "$TLS_KEY" -out "$TLS_CERT" 2>/dev/null) || die "openssl could not make a certificate for $CROWNEST_TLS_HOST"
    log "made a self-signed certificate for $CROWNEST_TLS_HOST and *.$domain: $TLS_CERT"
  fi
}

# The gateway's own URL: https on the certificate's name when it serves TLS.
api_url() {
  if [ -n "${TLS_CERT:-}" ]; then echo "https://${CROWNEST_TLS_HOST:-127.0.0.1}:$PORT_BASE"; else echo "http://127.0.0.1:$PORT_BASE"; fi
}

# Builds the service jars and the Kafka classpath when a source is newer than the last build.
ensure_built() {
  local stamp="$ROOT/infra/target/.built"
  if [ -f "$stamp" ] && [ -z "$(find "$ROOT" -path "$ROOT/.crownest" -prune -o \( -name '*.java' -o -name '*.c' -o -name 'pom.xml' -o -name '*.yml' -o -name '*.sql' -o -name '*.properties' \) -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  log "building (mvn package, tests skipped; ./crownest test runs them)"
  (cd "$ROOT" && mvn -B -q -DskipTests package) > "$CROWNEST_HOME/build.log" 2>&1 \
    || { tail -40 "$CROWNEST_HOME/build.log" >&2; die "build failed, see $CROWNEST_HOME/build.log"; }
  # Spring Boot's extracted layout lets the JVM's class data sharing archive the application's
  # classes (nested jars cannot be archived), which is what makes a warm `up` fast.
  local svc jar
  for svc in "${SERVICES[@]}"; do
    jar="$(service_jar "$svc")"
    rm -rf "$ROOT/$svc/target/run" "$CROWNEST_HOME/cds/$svc".{jsa,aot}
    java -Djarmode=tools -jar "$jar" extract --destination "$ROOT/$svc/target/run" >/dev/null \
      || die "could not extract $jar"
  done
  touch "$stamp"
}

# Builds the web console into console/dist when a source of it is newer than the last build; the gateway
# serves it at / (CROWNEST_CONSOLE_DIR). npm ci takes the committed lockfile, from the npm registry.
ensure_console() {
  local dir="$ROOT/console" stamp="$ROOT/console/dist/index.html"
  if [ -f "$stamp" ] && [ -z "$(find "$dir/src" "$dir/index.html" "$dir/build.mjs" "$dir/package-lock.json" -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  log "building the console (npm ci, esbuild)"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) > "$CROWNEST_HOME/console-build.log" 2>&1 \
      || { tail -20 "$CROWNEST_HOME/console-build.log" >&2; die "npm ci of the console failed, see $CROWNEST_HOME/console-build.log"; }
  fi
  (cd "$dir" && npm run -s build) >> "$CROWNEST_HOME/console-build.log" 2>&1 \
    || { tail -20 "$CROWNEST_HOME/console-build.log" >&2; die "the console's build failed, see $CROWNEST_HOME/console-build.log"; }
}

service_jar() {
  ls "$ROOT/$1/target/$1"-*.jar 2>/dev/null | grep -v -e '-plain' -e 'sources' | head -1
}

# ensure_template [NAME...] (default base): builds each missing or stale template (its templates.conf
# line changed, or its parent was rebuilt); a template that is up to date costs a few milliseconds.
ensure_template() {
  local t
  [ $# -gt 0 ] || set -- base
  for t in "$@"; do
    log "template '$t': checking (a build from Debian packages takes a minute or more, once)"
    CROWNEST_TEMPLATES_DIR="$TEMPLATES_DIR" "$ROOT/infra/templates/build-template.sh" "$t" \
      > "$CROWNEST_HOME/logs/template-$t.log" 2>&1 || die "template build failed, see $CROWNEST_HOME/logs/template-$t.log"
  done
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

all_running() {
  local svc
  for svc in "${SERVICES[@]}"; do pid_alive "$CROWNEST_HOME/pids/$svc.pid" || return 1; done
}

random_secret() { tr -dc 'A-Za-z0-9' < /dev/urandom | head -c "$1"; }
sha256_hex() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# ensure_stack_secret NAME: a random 48-character secret NAME in CROWNEST_HOME/secrets (mode 600), made once
# per CROWNEST_HOME and kept (also added to secrets files made before NAME existed). Every stack-wide key
# is made here, so each is generated, stored and protected alike.
ensure_stack_secret() {
  local secrets="$CROWNEST_HOME/secrets"
  grep -qs "^$1=" "$secrets" || (umask 077; echo "$1=$(random_secret 48)" >> "$secrets")
}

# Credentials are made once per CROWNEST_HOME and reused, so `up` after `down` prints the same.
ensure_credentials() {
  local secrets="$CROWNEST_HOME/secrets"
  if [ ! -f "$secrets" ]; then
    (umask 077; {
      echo "API_KEY=cn_live_$(random_secret 40)"
      echo "ADMIN_TOKEN=cn_admin_$(random_secret 40)"
      echo "PG_PASSWORD=$(random_secret 24)"
    } > "$secrets")
  fi
  # Keys every gateway of this stack shares: signed file URLs, preview tokens and sessions; the service
  # secret every service signs and checks internal calls with (docs/security.md, "service/service").
  ensure_stack_secret SIGNING_SECRET
  ensure_stack_secret PREVIEW_SECRET
  ensure_stack_secret SERVICE_SECRET
  # SEALING_KEY: the stack key env values are sealed under (AES-256-GCM, key = its SHA-256); only
  # sandbox-service (seals) and the execution worker (opens) get it. Never rotate it while sandboxes
  # run: their sealed env could not be opened again after a worker restart.
  ensure_stack_secret SEALING_KEY
  # shellcheck disable=SC1090
  source "$secrets"
  if [ -n "${CROWNEST_PG_URL:-}" ]; then
    PG_URL="$CROWNEST_PG_URL"; PG_USER="${CROWNEST_PG_USER:-crownest}"; PG_PASSWORD="${CROWNEST_PG_PASSWORD:-}"
  else
    PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/"; PG_USER=crownest
  fi
  KAFKA_BOOTSTRAP="${CROWNEST_KAFKA_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}"
}

# PostgreSQL refuses to run as root: the cluster belongs to a system user, in a project-local dir.
# The cluster's directory: inside CROWNEST_HOME when the PostgreSQL user can reach it (not under
# /root, say), else under /var/lib/crownest, named after CROWNEST_HOME so stacks stay apart.
pg_dir() {
  if ! is_root || runuser -u "$PG_OS_USER" -- test -x "$CROWNEST_HOME" 2>/dev/null; then
    echo "$CROWNEST_HOME/postgres"
  else
    echo "/var/lib/crownest/postgres-$(sha256_hex "$CROWNEST_HOME" | head -c 12)"
  fi
}

pg_start() {
  [ -n "${CROWNEST_PG_URL:-}" ] && return 0
  local run_as=()
  if is_root; then
    id "$PG_OS_USER" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER"
    run_as=(runuser -u "$PG_OS_USER" --)
  fi
  chmod 755 "$CROWNEST_HOME"
  local dir; dir="$(pg_dir)"
  local data="$dir/data"
  mkdir -p "$dir"
  is_root && chown "$PG_OS_USER" "$dir"
  if [ ! -f "$data/PG_VERSION" ]; then
    local pwfile="$dir/.pw"
    printf '%s\n' "$PG_PASSWORD" > "$pwfile"; is_root && chown "$PG_OS_USER" "$pwfile"; chmod 600 "$pwfile"
    "${run_as[@]}" "$PG_BIN/initdb" -D "$data" -U crownest --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 \
      > "$CROWNEST_HOME/logs/postgres-init.log" 2>&1 || die "initdb failed, see $CROWNEST_HOME/logs/postgres-init.log"
    rm -f "$pwfile"
  fi
  # pg_ctl writes its log as the PostgreSQL user: the file must be theirs.
  touch "$CROWNEST_HOME/logs/postgres.log"; is_root && chown "$PG_OS_USER" "$CROWNEST_HOME/logs/postgres.log"
  if ! "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$data" -w -t 60 -l "$CROWNEST_HOME/logs/postgres.log" \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $dir -c max_connections=200" start >/dev/null \
      || die "PostgreSQL did not start, see $CROWNEST_HOME/logs/postgres.log"
  fi
  local db
  for db in "${DATABASES[@]}"; do
    PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U crownest -d postgres -tAc \
      "select 1 from pg_database where datname='$db'" | grep -q 1 \
      || PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U crownest -d postgres -qc "create database $db" >/dev/null
  done
}

pg_stop() { # [--purge]
  [ -n "${CROWNEST_PG_URL:-}" ] && return 0
  local dir; dir="$(pg_dir)"
  local run_as=(); is_root && run_as=(runuser -u "$PG_OS_USER" --)
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ "${1:-}" = --purge ]; then rm -rf "$dir"; fi
}

kafka_start() {
  [ -n "${CROWNEST_KAFKA_BOOTSTRAP:-}" ] && return 0
  local dir="$CROWNEST_HOME/kafka" libs="$ROOT/infra/target/kafka-libs/*"
  pid_alive "$CROWNEST_HOME/pids/kafka.pid" && return 0
  mkdir -p "$dir"
  sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$((KAFKA_PORT + 1))#g" -e "s#@DATA@#$dir/data#g" \
    "$ROOT/infra/kafka/server.properties" > "$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    java -cp "$libs" kafka.tools.StorageTool format -t "$(java -cp "$libs" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
      -c "$dir/server.properties" > "$CROWNEST_HOME/logs/kafka-format.log" 2>&1 || die "Kafka storage format failed"
  fi
  nohup java -Xms128m -Xmx512m -XX:+UseSerialGC -Dlog4j.configuration="file:$ROOT/infra/kafka/log4j.properties" \
    -cp "$libs" kafka.Kafka "$dir/server.properties" > "$CROWNEST_HOME/logs/kafka.log" 2>&1 &
  echo $! > "$CROWNEST_HOME/pids/kafka.pid"
}

wait_for_port() { # name port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  die "$1 did not listen on port $2 within $3 s, see $CROWNEST_HOME/logs/"
}

# Where the internal services listen (their server.address and the node's preview tunnel): loopback, or
# CROWNEST_BIND_ADDRESS when the stack spans machines; the gateway alone listens publicly.
internal_host() {
  case "${CROWNEST_BIND_ADDRESS:-127.0.0.1}" in
    0.0.0.0|::) echo 127.0.0.1 ;;
    *) echo "${CROWNEST_BIND_ADDRESS:-127.0.0.1}" ;;
  esac
}

service_env() { # name → env assignments for the service's process
  local svc="$1" db=""
  case "$svc" in
    sandbox-service) db=crownest_sandbox
      echo "CROWNEST_SEALING_KEY=$SEALING_KEY"
      # whether POST /v1/signup starts open (the operator's PUT /v1/settings/signup is stored and wins)
      [ -z "${CROWNEST_SIGNUP_ENABLED:-}" ] || echo "CROWNEST_SIGNUP_ENABLED=$CROWNEST_SIGNUP_ENABLED" ;;
    execution-worker) echo "CROWNEST_SEALING_KEY=$SEALING_KEY" ;;
    metering-service) db=crownest_metering ;;
    # webhooks: secrets sealed under the stack key; loopback and private targets allowed on this single machine
    # (print_env says so; CROWNEST_WEBHOOKS_ALLOW_PRIVATE_TARGETS=false refuses them), this stack's own ports never
    billing-service) db=crownest_billing
      echo "CROWNEST_SEALING_KEY=$SEALING_KEY"
      echo "CROWNEST_WEBHOOKS_ALLOW_PRIVATE_TARGETS=${CROWNEST_WEBHOOKS_ALLOW_PRIVATE_TARGETS:-true}"
      echo "CROWNEST_WEBHOOKS_RESERVED_PORTS=$(seq -s, "$PORT_BASE" $((PORT_BASE + 9))),$KAFKA_PORT,$((KAFKA_PORT + 1)),$PG_PORT" ;;
    # The gateway keeps idempotency records; it reads them over R2DBC, Flyway migrates over JDBC.
    api-gateway) db=crownest_gateway
      echo "CROWNEST_SEALING_KEY=$SEALING_KEY"
      echo "SPRING_R2DBC_URL=${PG_URL/#jdbc:/r2dbc:}${db}"
      echo "SPRING_R2DBC_USERNAME=$PG_USER"
      echo "SPRING_R2DBC_PASSWORD=$PG_PASSWORD"
      echo "CROWNEST_GATEWAY_SIGNING_SECRET=$SIGNING_SECRET"
      echo "CROWNEST_PREVIEW_SECRET=$PREVIEW_SECRET"
      # previews on their own hosts, {port}-{sandbox id without sbx_}.<domain>, at the gateway's port
      echo "CROWNEST_PREVIEW_DOMAIN=${CROWNEST_PREVIEW_DOMAIN:-preview.localhost}"
      if [ -n "${TLS_CERT:-}" ]; then
        echo "SERVER_SSL_CERTIFICATE=$TLS_CERT"
        echo "SERVER_SSL_CERTIFICATE_PRIVATE_KEY=$TLS_KEY"
      fi
      # failed authentications per source address and credential prefix (test.sh raises it: every suite is 127.0.0.1)
      [ -z "${CROWNEST_AUTH_LIMIT_FAILURES_PER_MINUTE:-}" ] || echo "CROWNEST_AUTH_LIMIT_FAILURES_PER_MINUTE=$CROWNEST_AUTH_LIMIT_FAILURES_PER_MINUTE"
      [ -z "${CROWNEST_AUTH_LIMIT_BURST:-}" ] || echo "CROWNEST_AUTH_LIMIT_BURST=$CROWNEST_AUTH_LIMIT_BURST"
      # sign-ups per source address (test.sh raises it too)
      [ -z "${CROWNEST_SIGNUP_LIMIT_PER_MINUTE:-}" ] || echo "CROWNEST_SIGNUP_LIMIT_PER_MINUTE=$CROWNEST_SIGNUP_LIMIT_PER_MINUTE"
      [ -z "${CROWNEST_SIGNUP_LIMIT_BURST:-}" ] || echo "CROWNEST_SIGNUP_LIMIT_BURST=$CROWNEST_SIGNUP_LIMIT_BURST" ;;
    # Audit writes through a role without UPDATE/DELETE; SPRING_DATASOURCE_* stay the owner (Flyway only).
    audit-service) db=crownest_audit
      echo "CROWNEST_AUDIT_WRITER_PASSWORD=$(sha256_hex "audit-writer:$PG_PASSWORD" | head -c 32)" ;;
  esac
  echo "SERVER_PORT=$(service_port "$svc")"
  # Every internal call is signed with it and every internal service checks it (the gateway only signs).
  echo "CROWNEST_SERVICE_AUTH_SECRET=$SERVICE_SECRET"
  # Calls carry the credential to loopback and to these hosts only (never to an outside host).
  if [ "$(internal_host)" != 127.0.0.1 ] && [ -z "${CROWNEST_SERVICE_AUTH_INTERNAL_HOSTS:-}" ]; then
    echo "CROWNEST_SERVICE_AUTH_INTERNAL_HOSTS=$(internal_host)"
  fi
  echo "SPRING_KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP"
  if [ -n "$db" ]; then
    echo "SPRING_DATASOURCE_URL=${PG_URL}${db}"
    echo "SPRING_DATASOURCE_USERNAME=$PG_USER"
    echo "SPRING_DATASOURCE_PASSWORD=$PG_PASSWORD"
  fi
  echo "CROWNEST_SANDBOX_SERVICE_URL=http://$(internal_host):$(service_port sandbox-service)"
  echo "CROWNEST_NODE_AGENT_URL=http://$(internal_host):$(service_port node-agent)"
  echo "CROWNEST_METERING_URL=http://$(internal_host):$(service_port metering-service)"
  echo "CROWNEST_BILLING_URL=http://$(internal_host):$(service_port billing-service)"
  echo "CROWNEST_AUDIT_URL=http://$(internal_host):$(service_port audit-service)"
  echo "CROWNEST_BOOTSTRAP_API_KEY_HASH=$(sha256_hex "$API_KEY")"
  echo "CROWNEST_BOOTSTRAP_ADMIN_TOKEN_HASH=$(sha256_hex "$ADMIN_TOKEN")"
  [ "$svc" != api-gateway ] || echo "CROWNEST_CONSOLE_DIR=$ROOT/console/dist"
  echo "CROWNEST_NODE_STATE_DIR=$CROWNEST_HOME/node"
  echo "CROWNEST_ARTIFACTS_DIR=$CROWNEST_HOME/artifacts"
  echo "CROWNEST_NODE_TEMPLATES_DIR=$TEMPLATES_DIR"
  if [ "$svc" = node-agent ] && [ "${CROWNEST_NODE_RUNTIME:-runsc}" = docker ]; then
    echo "CROWNEST_NODE_RUNTIME=docker"
    echo "CROWNEST_NODE_DOCKER_HOST=$(docker_host)"
  fi
}

# The node agent's docker runtime (CROWNEST_NODE_RUNTIME=docker): a Docker daemon of this stack's own,
# runsc registered as its runtime (systrap, no network; the root overlay in memory, since Docker gives
# runsc one rootfs per container and no per-sandbox disk for its filestore), socket, data and state under CROWNEST_HOME/docker, so it meets neither the host's daemon
# nor another stack's. No bridge, no iptables: sandboxes run with network none. Experimental for
# docker checkpoint (pause).
docker_host() { echo "unix://$CROWNEST_HOME/docker/docker.sock"; }

dockerd_start() {
  local dir="$CROWNEST_HOME/docker" i
  command -v dockerd >/dev/null || require_packages docker.io
  pid_alive "$CROWNEST_HOME/pids/dockerd.pid" && return 0
  mkdir -p "$dir" "$CROWNEST_HOME/logs" "$CROWNEST_HOME/pids"
  printf '%s\n' '{"runtimes": {"runsc": {"path": "'"$(command -v "$(runsc_bin)")"'",' \
    '  "runtimeArgs": ["--platform=systrap", "--network=none", "--overlay2=root:memory"]}},' \
    ' "iptables": false, "ip-forward": false, "ip-masq": false, "bridge": "none", "experimental": true}' > "$dir/daemon.json"
  nohup dockerd --config-file "$dir/daemon.json" --data-root "$dir/data" --exec-root "$dir/run" --pidfile "$dir/dockerd.pid" \
    -H "$(docker_host)" > "$CROWNEST_HOME/logs/dockerd.log" 2>&1 &
  echo $! > "$CROWNEST_HOME/pids/dockerd.pid"
  for ((i = 0; i < 600; i++)); do
    curl -fsS -m 2 --unix-socket "$dir/docker.sock" http://docker/_ping >/dev/null 2>&1 && return 0
    pid_alive "$CROWNEST_HOME/pids/dockerd.pid" || break
    sleep 0.1
  done
  tail -20 "$CROWNEST_HOME/logs/dockerd.log" >&2
  die "dockerd did not start, see $CROWNEST_HOME/logs/dockerd.log"
}

# Removes the stack's containers first (dockerd would stop each with a grace period), then the daemon.
dockerd_stop() {
  local sock="$CROWNEST_HOME/docker/docker.sock" id
  if pid_alive "$CROWNEST_HOME/pids/dockerd.pid" && [ -S "$sock" ]; then
    for id in $(curl -fsS -m 10 --unix-socket "$sock" 'http://docker/containers/json?all=1' 2>/dev/null | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4); do
      curl -fsS -m 30 -X DELETE --unix-socket "$sock" "http://docker/containers/$id?force=1" >/dev/null 2>&1 || true
    done
  fi
  kill_pidfile "$CROWNEST_HOME/pids/dockerd.pid"
  # containerd's shims outlive the daemon by design; those of this stack's daemon go with it
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CROWNEST_HOME/docker/" || true); do
    kill "$pid" 2>/dev/null || true
  done
}

# Heap sizes per service: measured peaks plus headroom (README, "Memory budget").
service_heap() {
  case "$1" in
    api-gateway) echo 384m ;; sandbox-service) echo 256m ;; metering-service) echo 256m ;; *) echo 192m ;;
  esac
}

# C1 only for the services whose time goes to I/O: seven JVMs on two cores start markedly faster
# (docs/benchmarks.md). The gateway and metering keep C2 for throughput, so does audit (it hashes
# every event: SHA-256 and its JSON run several times faster compiled by C2), and so
# does the node agent: every byte of a command's output passes it twice (to the worker, and to the
# gateway of a client streaming it); its exec stream is markedly faster with C2 (docs/benchmarks.md).
service_jit() {
  case "$1" in
    api-gateway|metering-service|audit-service|node-agent) ;;
    *) echo "-XX:TieredStopAtLevel=1" ;;
  esac
}

# The JVM's cache of the service's classes, written by the first run when it exits (`down`) and mapped
# by later starts (a faster warm `up`). CROWNEST_CLASS_CACHE: cds (the default) is the dynamic class
# data sharing archive; aot is JDK 25's AOT cache (JEP 483/514/515: classes loaded and linked, method
# profiles), opt-in until a quiet run shows it beats cds: its first stop waits while each service
# writes a cache of ~100 MB (minutes on a loaded machine); off is neither. docs/benchmarks.md.
service_class_cache() {
  local base="$CROWNEST_HOME/cds/$1" mode="${CROWNEST_CLASS_CACHE:-}"
  [ -n "$mode" ] || mode=cds
  case "$mode" in
    aot) if [ -s "$base.aot" ]; then echo "-XX:AOTCache=$base.aot"; else echo "-XX:AOTCacheOutput=$base.aot"; fi
      echo "-Xlog:aot=off -Xlog:cds=off" ;;
    cds) echo "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$base.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" ;;
    off) ;;
    *) die "CROWNEST_CLASS_CACHE is aot, cds or off, not '$mode'" ;;
  esac
}

# A service's first run writes its AOT cache when it exits (a second JVM assembles it): a stop then
# waits longer for it than for a plain exit.
service_stop() {
  local svc="$1" grace=15
  if { tr '\0' ' ' < "/proc/$(cat "$CROWNEST_HOME/pids/$svc.pid" 2>/dev/null)/cmdline"; } 2>/dev/null | grep -q AOTCacheOutput; then
    grace=180
  fi
  kill_pidfile "$CROWNEST_HOME/pids/$svc.pid" "$grace"
}

service_start() {
  local svc="$1" jar
  pid_alive "$CROWNEST_HOME/pids/$svc.pid" && return 0
  jar="$(ls "$ROOT/$svc/target/run/$svc"-*.jar 2>/dev/null | head -1)"
  [ -n "$jar" ] || die "no extracted jar for $svc under $svc/target/run; remove infra/target/.built and run up again"
  mkdir -p "$CROWNEST_HOME/cds"
  local -a assignments
  mapfile -t assignments < <(service_env "$svc")
  env "${assignments[@]}" nohup java $(service_jit "$svc") -Xms32m -Xmx"$(service_heap "$svc")" -XX:+UseSerialGC -Xss512k \
    $(service_class_cache "$svc") -jar "$jar" > "$CROWNEST_HOME/logs/$svc.log" 2>&1 &
  echo $! > "$CROWNEST_HOME/pids/$svc.pid"
}

wait_healthy() { # name seconds
  local svc="$1" port i host
  port="$(service_port "$svc")"
  host="$(internal_host)"; [ "$svc" = api-gateway ] && host=127.0.0.1
  for ((i = 0; i < $2 * 5; i++)); do
    pid_alive "$CROWNEST_HOME/pids/$svc.pid" || { tail -30 "$CROWNEST_HOME/logs/$svc.log" >&2; die "$svc exited during start-up, see $CROWNEST_HOME/logs/$svc.log"; }
    local scheme=http
    [ "$svc" != api-gateway ] || [ -z "${TLS_CERT:-}" ] || scheme=https
    # health is the one path internal services answer without a service credential: {"status":"UP"} only
    if curl -kfsS -m 2 "$scheme://$host:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; then
      return 0
    fi
    sleep 0.2
  done
  die "$svc not healthy within $2 s, see $CROWNEST_HOME/logs/$svc.log"
}

# The gateway learns keys from Kafka: healthy services are not enough, the default key must work.
wait_key_accepted() {
  local i code
  for ((i = 0; i < $1 * 5; i++)); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' -m 2 -H "x-api-key: $API_KEY" --connect-to "::127.0.0.1:$PORT_BASE" "$(api_url)/v1/sandboxes" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.2
  done
  die "the gateway does not accept the default API key (last status $code), see $CROWNEST_HOME/logs/"
}

write_env_file() {
  local env="$CROWNEST_HOME/env"
  (umask 077; {
    echo "CROWNEST_API_URL=$(api_url)"
    echo "CROWNEST_API_KEY=$API_KEY"
    echo "CROWNEST_ADMIN_TOKEN=$ADMIN_TOKEN"
  } > "$env.tmp" && mv "$env.tmp" "$env")
  chmod 600 "$env"
}

print_env() {
  echo "CrowNest is up."
  echo "  API:          $(api_url)   (try: curl -H \"x-api-key: \$CROWNEST_API_KEY\" $(api_url)/v1/sandboxes)"
  echo "  Previews:     {port}-{sandbox id without sbx_}.${CROWNEST_PREVIEW_DOMAIN:-preview.localhost}:$PORT_BASE"
  [ -z "${TLS_CERT:-}" ] || echo "  Certificate:  $TLS_CERT (trust it, or curl --cacert it)"
  echo "  API key:      $API_KEY"
  echo "  Admin token:  $ADMIN_TOKEN"
  echo "  Credentials:  $CROWNEST_HOME/env (source it: set -a; . $CROWNEST_HOME/env; set +a)"
  echo "  Logs:         $CROWNEST_HOME/logs/"
  if [ "${CROWNEST_WEBHOOKS_ALLOW_PRIVATE_TARGETS:-true}" = true ]; then
    echo "  Webhooks:     loopback and private targets ALLOWED (single machine; CROWNEST_WEBHOOKS_ALLOW_PRIVATE_TARGETS=false refuses them); this stack's ports never"
  else
    echo "  Webhooks:     public targets only; this stack's ports never"
  fi
}

# Where this stack's Kafka and PostgreSQL are, for tests and benchmarks that read them directly.
infra_env() {
  echo "CROWNEST_TEST_KAFKA=$KAFKA_BOOTSTRAP"
  echo "CROWNEST_TEST_PG_URL=$PG_URL"
  echo "CROWNEST_TEST_PG_USER=$PG_USER"
  echo "CROWNEST_TEST_PG_PASSWORD=$PG_PASSWORD"
  if pid_alive "$CROWNEST_HOME/pids/dockerd.pid"; then echo "CROWNEST_TEST_DOCKER_HOST=$(docker_host)"; fi
}

# up [--infra-only]: idempotent; what already runs is left alone.
stack_up() {
  local infra_only=false
  [ "${1:-}" = --infra-only ] && infra_only=true
  mkdir -p "$CROWNEST_HOME/logs" "$CROWNEST_HOME/pids"
  if $infra_only && [ "${CROWNEST_NODE_RUNTIME:-runsc}" != docker ]; then
    ensure_prerequisites --no-runsc
  else
    ensure_prerequisites
  fi
  ensure_credentials
  ensure_tls
  if ! $infra_only && all_running && [ -f "$CROWNEST_HOME/env" ]; then
    # Already up: change nothing (no rebuild under running services), print the same.
    print_env
    return 0
  fi
  ensure_built
  $infra_only || ensure_console
  pg_start
  kafka_start
  [ -n "${CROWNEST_KAFKA_BOOTSTRAP:-}" ] || wait_for_port kafka "$KAFKA_PORT" 60
  if [ "${CROWNEST_NODE_RUNTIME:-runsc}" = docker ]; then dockerd_start; fi
  if $infra_only; then
    infra_env
    return 0
  fi
  ensure_template
  local svc
  for svc in "${SERVICES[@]}"; do service_start "$svc"; done
  for svc in "${SERVICES[@]}"; do wait_healthy "$svc" 240; done
  wait_key_accepted 60
  write_env_file
  print_env
  build_late_templates
}

# python and node are built once the API answers (base was built before the services): until each is
# ready, a create of it answers 409 template_not_ready and GET /v1/templates shows it building.
build_late_templates() {
  local t start
  for t in python node; do
    start=$SECONDS
    log "template '$t': build started (up to date in a moment if cached; creates of it answer 409 template_not_ready until it is ready)"
    if CROWNEST_TEMPLATES_DIR="$TEMPLATES_DIR" "$ROOT/infra/templates/build-template.sh" "$t" \
      > "$CROWNEST_HOME/logs/template-$t.log" 2>&1; then
      log "template '$t': ready in $((SECONDS - start)) s"
    else
      log "template '$t': build failed in $((SECONDS - start)) s, see $CROWNEST_HOME/logs/template-$t.log"
    fi
  done
}

kill_pidfile() { # pidfile [seconds]: TERM, then KILL after the seconds (15)
  local f="$1" pid i
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < ${2:-15} * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# Sandboxes outlive a node agent on purpose (it adopts them on restart); `down` ends them too.
kill_sandboxes() {
  local root="$CROWNEST_HOME/node/runsc" id m
  dockerd_stop
  if [ -d "$root" ] && command -v runsc >/dev/null; then
    for id in $(runsc --root "$root" list -quiet 2>/dev/null); do
      # a warm-pool sandbox may be frozen (WarmPool): frozen, it answers no runsc call and takes no signal
      echo THAWED > "/sys/fs/cgroup/freezer/crownest/$id/freezer.state" 2>/dev/null || true
      runsc --root "$root" --platform=ptrace --network=none kill "$id" KILL >/dev/null 2>&1 || true
      runsc --root "$root" --platform=ptrace --network=none delete -force "$id" >/dev/null 2>&1 || true
    done
  fi
  # Each sandbox's /workspace (warm-pool sandboxes' too) is a loop-mounted ext4 image: unmount them
  # before the data goes.
  for m in $(awk -v p="$CROWNEST_HOME/node/" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

# restart SERVICE: stops one service (SIGTERM, then SIGKILL) and starts it again, waiting until it
# is healthy; the rest of the stack keeps running. The crash tests kill -9 a service and use this.
stack_restart() {
  local svc="${1:-}"
  [[ " ${SERVICES[*]} " == *" $svc "* ]] || die "unknown service '$svc'; known: ${SERVICES[*]}"
  ensure_prerequisites
  ensure_credentials
  ensure_tls
  [ "$svc" != api-gateway ] || ensure_console
  service_stop "$svc"
  service_start "$svc"
  wait_healthy "$svc" 240
  echo "$svc is up again."
}

# down [--purge]: --purge also deletes the stack's data (used by tests).
stack_down() {
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  local svc stoppers=()
  for svc in "${SERVICES[@]}"; do service_stop "$svc" & stoppers+=($!); done
  # Only the stoppers: a plain `wait` would also wait for the stack this shell started (./crownest test).
  wait "${stoppers[@]}"
  kill_sandboxes
  kill_pidfile "$CROWNEST_HOME/pids/kafka.pid"
  pg_stop "${1:-}"
  if [ "${1:-}" = --purge ]; then rm -rf "$CROWNEST_HOME"; fi
  echo "CrowNest is down."
}

# Proportional set size of the given processes, in MiB: shared pages counted once across them.
pss_mib() {
  local pid sum=0 kb
  for pid in "$@"; do
    kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    sum=$((sum + ${kb:-0}))
  done
  echo $((sum / 1024))
}

stack_status() {
  local name f rss total=0 pgpid
  for f in "$CROWNEST_HOME"/pids/*.pid; do
    [ -f "$f" ] || continue
    name="$(basename "$f" .pid)"
    if pid_alive "$f"; then
      rss=$(pss_mib "$(cat "$f")")
      total=$((total + rss))
      printf '%-18s running  pid %-7s pss %5s MiB\n' "$name" "$(cat "$f")" "$rss"
    else
      printf '%-18s stopped\n' "$name"
    fi
  done
  pgpid="$(head -1 "$(pg_dir)/data/postmaster.pid" 2>/dev/null || true)"
  if [ -n "$pgpid" ] && kill -0 "$pgpid" 2>/dev/null; then
    # the postmaster and its children; PSS shares the shared buffers out among them instead of counting them in each
    rss=$(pss_mib "$pgpid" $(ps -o pid= --ppid "$pgpid"))
    total=$((total + rss))
    printf '%-18s running  pid %-7s pss %5s MiB\n' postgresql "$pgpid" "$rss"
  fi
  printf '%-18s                      %5s MiB\n' total "$total"
}
