#!/usr/bin/env bash
# Tests of the ./kumo script itself: usage and exit codes, JDK discovery, status/down/logs without a
# cluster, and a whole up -d / status / down cycle (and a foreground up) against a fake cluster.
#
# Run: bash tests/cli/kumo_cli_test.sh   (./kumo test runs it before Maven.)
# Needs bash, curl and coreutils; the lifecycle tests also need openssl (skipped without it).
# Never touches ~/.kumo: every test uses its own KUMO_HOME and a fake KUMO_JVM_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KUMO="$ROOT/kumo"
TMP=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/kumo-cli-test.XXXXXX")" && pwd -P)
PASSED=0 FAILED=0 SKIPPED=0
FAILED_NAMES=()
STARTED_PIDS=()

cleanup() {
  local pid
  # Whatever a failed test left running: the processes it started, and the fake clusters' servers.
  if [[ -f $TMP/server.pids ]]; then mapfile -t -O "${#STARTED_PIDS[@]}" STARTED_PIDS <"$TMP/server.pids"; fi
  for pid in "${STARTED_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

# ---- helpers ------------------------------------------------------------------------------------
# run ARGS...: runs ./kumo with the test environment; sets OUT (stdout+stderr) and RC.
run() {
  RC=0
  OUT=$(env -u JAVA_HOME KUMO_HOME="$HOME_DIR" KUMO_JVM_DIR="$JVM_DIR" "${EXTRA_ENV[@]}" "$KUMO" "$@" 2>&1) || RC=$?
}

pass() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$1"; }
fail() {
  FAILED=$((FAILED + 1)); FAILED_NAMES+=("$1")
  printf '  FAIL  %s\n' "$1"
  printf '        %s\n' "${2:-}"
  printf '        output (rc=%s):\n' "${RC:-?}"
  local line
  while IFS= read -r line; do printf '        | %s\n' "$line"; done <<<"${OUT:-}"
}
skip() { SKIPPED=$((SKIPPED + 1)); printf '  skip  %s (%s)\n' "$1" "$2"; }

# check NAME EXPECTED_RC [GREP_PATTERN...]: RC must match and OUT must contain every pattern.
check() {
  local name=$1 want=$2 pat
  shift 2
  if [[ $RC != "$want" ]]; then fail "$name" "exit code $RC, expected $want"; return; fi
  for pat in "$@"; do
    if ! grep -qE -- "$pat" <<<"$OUT"; then fail "$name" "output lacks /$pat/"; return; fi
  done
  pass "$name"
}

# fresh_env: a new KUMO_HOME and an empty fake JVM dir.
fresh_env() {
  local n=$((${N:-0} + 1))
  N=$n
  HOME_DIR="$TMP/home$n"
  JVM_DIR="$TMP/jvm$n"
  mkdir -p "$JVM_DIR"
  EXTRA_ENV=()
}

# fake_jdk NAME VERSION [--no-javac] [--broken]: a JDK under JVM_DIR whose java prints VERSION.
# Run with other arguments, its java behaves like the cluster (see fake_cluster_java).
fake_jdk() {
  local dir="$JVM_DIR/$1" version=$2 javac=true broken=false
  shift 2
  while (($#)); do
    case $1 in --no-javac) javac=false ;; --broken) broken=true ;; esac
    shift
  done
  mkdir -p "$dir/bin"
  if $broken; then
    printf '#!/bin/sh\necho "Error: broken JDK" >&2\nexit 1\n' >"$dir/bin/java"
  else
    {
      echo '#!/usr/bin/env bash'
      echo "if [[ \${1:-} == -version ]]; then echo 'openjdk version \"$version\" 2024-01-01' >&2; echo 'OpenJDK Runtime Environment' >&2; exit 0; fi"
      echo "exec bash '$TMP/fake-cluster.sh' \"\$@\""
    } >"$dir/bin/java"
  fi
  chmod +x "$dir/bin/java"
  if $javac; then printf '#!/bin/sh\nexit 0\n' >"$dir/bin/javac"; chmod +x "$dir/bin/javac"; fi
}

# gone PID: the process has exited (a zombie not yet reaped by its new parent counts as gone).
gone() {
  local i state
  for ((i = 0; i < 20; i++)); do
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
    [[ $state == Z* ]] && return 0
    sleep 0.05
  done
  return 1
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# The fake cluster: honours the contract of dev.kumo.local.Main (--home, --listen, --ephemeral;
# kumo: progress lines; <home>/kubeconfig and <home>/pki/ca.crt; HTTPS /readyz; SIGTERM stops it).
# FAKE_MODE=fail exits 1 before being ready; FAKE_MODE=hang never becomes ready.
write_fake_cluster() {
  cat >"$TMP/fake-cluster.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
home="" listen="" ephemeral=false nodes=unset runtime=unset main=""
while (($#)); do
  case $1 in
    -cp) shift ;;
    --home) home=$2; shift ;;
    --listen) listen=$2; shift ;;
    --ephemeral) ephemeral=true ;;
    --nodes) nodes=$2; shift ;;
    --runtime) runtime=$2; shift ;;
    dev.kumo.local.*) main=$1 ;;
  esac
  shift
done
[[ $main == dev.kumo.local.Main ]] || { echo "fake cluster: no main class given" >&2; exit 2; }
echo "kumo: starting fake cluster (ephemeral=$ephemeral, nodes=$nodes, runtime=$runtime)"
echo "some library noise"
if [[ ${FAKE_MODE:-} == fail ]]; then echo "kumo: error: fake failure"; exit 1; fi
mkdir -p "$home/pki"
cp "$FAKE_PKI/ca.crt" "$home/pki/ca.crt"
printf 'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://%s\n  name: kumo\n' "$listen" >"$home/kubeconfig"
if [[ ${FAKE_MODE:-} == hang ]]; then
  trap 'exit 143' TERM
  while :; do sleep 0.1; done
fi
cd "$FAKE_PKI/www"
openssl s_server -quiet -accept "$listen" -cert "$FAKE_PKI/server.crt" -key "$FAKE_PKI/server.key" -WWW \
  </dev/null >/dev/null 2>&1 &
child=$!
echo "$child" >>"$FAKE_PIDS"
trap 'kill $child 2>/dev/null; wait $child 2>/dev/null || true; echo "kumo: stopped"; exit 0' TERM
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/${listen%:*}/${listen##*:}") 2>/dev/null; then break; fi
  sleep 0.05
done
echo "kumo: API ready at https://$listen"
wait $child
EOF
}

# A CA and a server certificate for 127.0.0.1, as the real cluster writes them.
make_fake_pki() {
  local d="$TMP/pki"
  mkdir -p "$d/www"
  echo ok >"$d/www/readyz"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/ca.key" \
    -out "$d/ca.crt" -subj /CN=kumo-test-ca -days 2 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1 &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/server.key" \
      -out "$d/server.csr" -subj /CN=127.0.0.1 >/dev/null 2>&1 &&
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$d/ext" &&
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
      -out "$d/server.crt" -days 2 -extfile "$d/ext" >/dev/null 2>&1
}

# ---- usage and exit codes ---------------------------------------------------------------------
echo "kumo CLI tests ($KUMO)"
fresh_env

run;                     check "no arguments prints usage, exit 0" 0 '^Usage: ' 'up \[--ephemeral\]'
run help;                check "help prints usage, exit 0" 0 '^Usage: ' '^  synth \[CDK_ARGS\.\.\.\]'
run --help;              check "--help prints usage, exit 0" 0 '^Usage: '
run audit --help;        check "audit --help prints usage, exit 0" 0 '^  audit \[--user U\]' '^  token --cluster NAME'
run frobnicate;          check "unknown command: usage, exit 2" 2 "unknown command 'frobnicate'" '^Usage: '
run up --bogus;          check "up with an unknown option: exit 2" 2 "unknown option '--bogus'" '^Usage: '
run up --listen;         check "up --listen without a value: exit 2" 2 'needs ADDR:PORT'
run up --listen nope;    check "up --listen without a port: exit 2" 2 "wants ADDR:PORT"
run up --listen 127.0.0.1:99999; check "up --listen with a port out of range: exit 2" 2 "wants ADDR:PORT"
run up --nodes;          check "up --nodes without a value: exit 2" 2 'needs a number'
run up --nodes two;      check "up --nodes that is not a number: exit 2" 2 "wants a number from 0 to 5000, not 'two'"
run up --nodes=-1;       check "up --nodes below 0: exit 2" 2 "wants a number from 0 to 5000"
run up --runtime;        check "up --runtime without a value: exit 2" 2 'needs cri, process, simulated or auto'
run up --runtime docker; check "up --runtime unknown: exit 2" 2 "wants cri, process, simulated or auto, not 'docker'"
run image;               check "image without a subcommand: exit 2" 2 "the subcommand is 'load ARCHIVE.tar'"
run image load;          check "image load without an archive: exit 2" 2 'takes one archive'
run down extra;          check "down with an argument: exit 2" 2 'takes no arguments'
run status extra;        check "status with an argument: exit 2" 2 'takes no arguments'
run logs -x;             check "logs with an unknown option: exit 2" 2 "unknown option '-x'"

# ---- JDK discovery ----------------------------------------------------------------------------
fresh_env
run java-home
check "no JDK at all: exit 1 and says what to do" 1 'no JDK >= 21 found' 'set JAVA_HOME'
run synth
check "synth without a JDK >= 21: exit 1 before installing or building anything" 1 'no JDK >= 21 found'
if [[ $OUT == *"npm ci"* || $OUT == *building* ]]; then fail "synth checks the JDK first" "it went on: $OUT"; else pass "synth checks the JDK first"; fi

fake_jdk java-17-openjdk-amd64 17.0.15
fake_jdk java-8 1.8.0_392
run java-home
check "only JDK 8 and 17: exit 1 and lists what it saw" 1 'no JDK >= 21' 'java-17-openjdk-amd64 \(Java 17\.0\.15\)' 'java-8 \(Java 1\.8\.0_392\)'

fake_jdk temurin-21-jdk 21.0.5
fake_jdk temurin-25-jdk 25.0.1
fake_jdk zulu-25-old 25
fake_jdk broken-jdk 99 --broken
mkdir -p "$JVM_DIR/not-a-jdk"
ln -s "$JVM_DIR/temurin-25-jdk" "$JVM_DIR/java-25-link"
run java-home
check "picks the newest JDK >= 21 in KUMO_JVM_DIR" 0 "^$JVM_DIR/temurin-25-jdk\$"

JH=$JVM_DIR/temurin-21-jdk
RC=0; OUT=$(KUMO_HOME="$HOME_DIR" KUMO_JVM_DIR="$JVM_DIR" JAVA_HOME=$JH "$KUMO" java-home 2>&1) || RC=$?
check "JAVA_HOME wins when it is >= 21" 0 "^$JH\$"

JH=$JVM_DIR/java-17-openjdk-amd64
RC=0; OUT=$(KUMO_HOME="$HOME_DIR" KUMO_JVM_DIR="$JVM_DIR" JAVA_HOME=$JH "$KUMO" java-home 2>&1) || RC=$?
check "JAVA_HOME < 21 is passed over for the scan" 0 "^$JVM_DIR/temurin-25-jdk\$"

fresh_env
fake_jdk early-access 22-ea
run java-home
check "an early-access version string (22-ea) counts as 22" 0 "^$JVM_DIR/early-access\$"

fresh_env
fake_jdk jre-25 25.0.2 --no-javac
EXTRA_ENV=(KUMO_NO_INSTALL=1)
run test
check "test: a JRE without javac is not enough; says what is missing" 1 'JDK >= 21 with javac' 'jre-25 \(Java 25\.0\.2, no javac\)'
EXTRA_ENV=()

# ---- status / down / logs with nothing running --------------------------------------------------
fresh_env
run status;  check "status with nothing running: exit 3" 3 'not running'
run down;    check "down with nothing running: exit 0" 0 'no cluster is running'
run down;    check "down again: still exit 0" 0 'no cluster is running'
run logs;    check "logs without a log: exit 1 and says why" 1 "no log at .*up -d"
run logs --node kumo-node-1; check "logs of a node without an agent log: exit 1 and says why" 1 "no agent log at .*nodes/kumo-node-1/agent.log: only cri nodes"
run logs --node; check "logs --node without a name: exit 2" 2 "--node needs a node's name"
mkdir -p "$HOME_DIR/nodes/kumo-node-1" && printf 'node agent running\n' >"$HOME_DIR/nodes/kumo-node-1/agent.log"
run logs --node kumo-node-1; check "logs --node shows that node's agent log" 0 "node agent running"
rm -rf "$HOME_DIR/nodes"

mkdir -p "$HOME_DIR"
sleep 0.01 & dead_pid=$!
wait "$dead_pid" || true
echo "$dead_pid" >"$HOME_DIR/kumo.pid"
run status;  check "status with a stale pid file: exit 3" 3 'not running' "pid $dead_pid"
run down;    check "down with a stale pid file: removes it, exit 0" 0 'stale pid file'
if [[ -e $HOME_DIR/kumo.pid ]]; then fail "stale pid file is gone" "$HOME_DIR/kumo.pid still exists"; else pass "stale pid file is gone"; fi

# A live process that is not a kumo cluster (pid reused): not taken for one, and not killed.
sleep 30 & other_pid=$!
STARTED_PIDS+=("$other_pid")
echo "$other_pid" >"$HOME_DIR/kumo.pid"
run status;  check "status ignores a reused pid that is no cluster: exit 3" 3 'not running'
run down;    check "down does not kill a reused pid" 0 'stale pid file'
if kill -0 "$other_pid" 2>/dev/null; then pass "the unrelated process survived"; else fail "the unrelated process survived" "pid $other_pid was killed"; fi
kill "$other_pid" 2>/dev/null || true

# ---- the cluster's life cycle against a fake cluster ----------------------------------------------
lifecycle_tests() {
  local port pid
  fresh_env
  fake_jdk temurin-25-jdk 25.0.1
  port=$(free_port)
  EXTRA_ENV=(KUMO_NO_BUILD=1 FAKE_PKI="$TMP/pki" FAKE_PIDS="$TMP/server.pids")

  run up -d --listen "127.0.0.1:$port"
  check "up -d: ready, prints progress and the kubeconfig" 0 'kumo: starting fake cluster.*nodes=1, runtime=auto\)' \
    "kumo: API ready at https://127.0.0.1:$port" "export KUBECONFIG=$HOME_DIR/kubeconfig; kubectl get namespaces"
  if grep -q 'some library noise' <<<"$OUT"; then fail "up -d shows only kumo: lines" "noise shown"; else pass "up -d shows only kumo: lines"; fi
  pid=$(cat "$HOME_DIR/kumo.pid" 2>/dev/null || echo none)
  [[ $pid != none ]] && STARTED_PIDS+=("$pid")

  run status
  check "status while running: exit 0 with pid, listen, home, data, readyz" 0 "running \(pid $pid, detached" \
    "listen: +https://127.0.0.1:$port" "home: +$HOME_DIR" "kubeconfig: +$HOME_DIR/kubeconfig" 'data: +persistent' 'readyz: +ok'

  run up -d --listen "127.0.0.1:$port"
  check "a second up -d is refused" 1 "already running \(pid $pid"
  run up --listen "127.0.0.1:$port"
  check "a second foreground up is refused" 1 "already running"

  run logs
  check "logs shows the whole log" 0 'some library noise' 'kumo: API ready'

  run down
  check "down stops it" 0 "stopping the cluster \(pid $pid" "stopped the cluster \(pid $pid\)"
  if gone "$pid"; then pass "the cluster process is gone"; else fail "the cluster process is gone" "pid $pid alive"; fi
  run status; check "status after down: exit 3" 3 'not running'
  run down;   check "down after down: exit 0" 0 'no cluster is running'

  # --ephemeral is passed on and shown.
  run up -d --ephemeral --listen "127.0.0.1:$port"
  check "up -d --ephemeral" 0 'ephemeral=true' 'ephemeral: data kept in memory'
  run status; check "status shows ephemeral data" 0 'data: +ephemeral'
  run down;   check "down (ephemeral)" 0 'stopped the cluster'

  # --nodes and --runtime are passed on (auto by default) and shown.
  run up -d --nodes 3 --listen "127.0.0.1:$port"
  check "up -d --nodes 3" 0 'nodes=3, runtime=auto\)' '3 nodes \(runtime auto\)'
  run image load "$TMP/fake-cluster.sh"
  check "image load on a cluster without cri nodes: exit 1" 1 'has no cri nodes'
  run down;   check "down (3 nodes)" 0 'stopped the cluster'
  run up -d --nodes 1 --runtime simulated --listen "127.0.0.1:$port"
  check "up -d --runtime simulated" 0 'nodes=1, runtime=simulated\)' '1 node \(runtime simulated\)'
  run down;   check "down (simulated)" 0 'stopped the cluster'

  # A cluster that dies before it is ready: exit 1 with the log's tail, no pid file left.
  EXTRA_ENV+=(FAKE_MODE=fail)
  run up -d --listen "127.0.0.1:$port"
  check "up -d of a cluster that dies: exit 1 with the log's tail" 1 'exited \(code 1\) before it was ready' '\| kumo: error: fake failure'
  if [[ -e $HOME_DIR/kumo.pid ]]; then fail "no pid file after a failed up" "pid file left"; else pass "no pid file after a failed up"; fi

  # A cluster that never becomes ready: exit 1 after KUMO_READY_TIMEOUT, and it is stopped.
  EXTRA_ENV=(KUMO_NO_BUILD=1 FAKE_PKI="$TMP/pki" FAKE_PIDS="$TMP/server.pids" FAKE_MODE=hang KUMO_READY_TIMEOUT=2)
  run up -d --listen "127.0.0.1:$port"
  check "up -d that never gets ready: exit 1 after the timeout, stopped" 1 'did not answer .* within 2 s' 'stopped the cluster'
  run status; check "status after the timeout: exit 3" 3 'not running'

  # Something else on the port: refused before starting.
  EXTRA_ENV=(KUMO_NO_BUILD=1 FAKE_PKI="$TMP/pki" FAKE_PIDS="$TMP/server.pids")
  run up -d --listen "127.0.0.1:$port"
  check "up -d (again, for the port test)" 0 'API ready'
  local other_home=$HOME_DIR
  HOME_DIR="$TMP/other-home"
  run up -d --listen "127.0.0.1:$port"
  check "up on a port already in use: exit 1, says so" 1 "something already listens on 127.0.0.1:$port"
  HOME_DIR=$other_home
  run down; check "down" 0 'stopped the cluster'

  # Foreground: prints the hints once ready, `down` from elsewhere ends it with exit 0.
  local fg_out="$TMP/fg.out" fg_pid i
  env -u JAVA_HOME KUMO_HOME="$HOME_DIR" KUMO_JVM_DIR="$JVM_DIR" "${EXTRA_ENV[@]}" \
    "$KUMO" up --listen "127.0.0.1:$port" >"$fg_out" 2>&1 &
  fg_pid=$!
  STARTED_PIDS+=("$fg_pid")
  for ((i = 0; i < 100; i++)); do grep -q 'kubectl get namespaces' "$fg_out" && break; sleep 0.1; done
  OUT=$(cat "$fg_out") RC=0
  check "foreground up: ready, prints the kubeconfig hint" 0 "API ready at https://127.0.0.1:$port" "export KUBECONFIG=$HOME_DIR/kubeconfig" "Ctrl-C here"
  run status; check "status of a foreground cluster" 0 'running \(pid [0-9]+, foreground'
  run down;   check "down stops a foreground cluster" 0 'stopped the cluster'
  RC=0; wait "$fg_pid" || RC=$?
  OUT=$(cat "$fg_out")
  check "the foreground up then exits 0" 0 'cluster stopped'
  if [[ -e $HOME_DIR/kumo.pid ]]; then fail "no pid file after the foreground up ends" "pid file left"; else pass "no pid file after the foreground up ends"; fi

  # Foreground: SIGTERM (as Ctrl-C would be) to the script stops the cluster too.
  env -u JAVA_HOME KUMO_HOME="$HOME_DIR" KUMO_JVM_DIR="$JVM_DIR" "${EXTRA_ENV[@]}" \
    "$KUMO" up --listen "127.0.0.1:$port" >"$fg_out" 2>&1 &
  fg_pid=$!
  STARTED_PIDS+=("$fg_pid")
  # Up to 60 s: on a loaded machine (CI next to builds) the start can take well over 10 s, and a SIGTERM before
  # the script's trap is set ends it with 143 instead of a clean stop.
  for ((i = 0; i < 600; i++)); do grep -q 'kubectl get namespaces' "$fg_out" && break; sleep 0.1; done
  pid=$(cat "$HOME_DIR/kumo.pid" 2>/dev/null || echo none)
  kill -TERM "$fg_pid"
  RC=0; wait "$fg_pid" || RC=$?
  OUT=$(cat "$fg_out")
  check "SIGTERM to a foreground up stops the cluster, exit 0" 0 'kumo: stopped' 'cluster stopped'
  if [[ $pid != none ]] && ! gone "$pid"; then fail "no cluster left after SIGTERM" "pid $pid alive"; else pass "no cluster left after SIGTERM"; fi
}

echo "  -- life cycle against a fake cluster"
if ! command -v openssl >/dev/null || ! command -v curl >/dev/null; then
  skip "life cycle tests" "needs openssl and curl"
elif ! make_fake_pki; then
  skip "life cycle tests" "openssl could not make test certificates"
else
  write_fake_cluster
  lifecycle_tests
fi

# ---- AWS commands' usage, and the local backup/restore round trip (no Java, no AWS needed) --------
echo "  -- deploy/kubeconfig/destroy usage, local backup and restore"
fresh_env
run kubeconfig;              check "kubeconfig without --aws: usage error" 2 'only --aws for now' 'Usage:'
run kubeconfig --aws --bogus; check "kubeconfig: an unknown option is a usage error" 2 "unknown option '--bogus'"
run node-token;              check "node-token without --aws: usage error" 2 'only --aws for now'
run deploy --help;           check "deploy --help shows the AWS commands" 0 'deploy \[CDK_ARGS' 'kubeconfig --aws' 'destroy' 'restore --to'
run restore;                 check "restore without --to: usage error" 2 'restore: --to TIME is required'
run restore --to not-a-time; check "restore --to garbage: usage error" 2 "--to wants a time"
run backup --bogus;          check "backup: an unknown option is a usage error" 2 "unknown option '--bogus'"
run backup;                  check "backup without data says so" 1 'nothing to back up'

mkdir -p "$HOME_DIR/dynamodb" "$HOME_DIR/pki"
echo first >"$HOME_DIR/dynamodb/shared-local-instance.db"
echo key-one >"$HOME_DIR/pki/sa.key"
run backup; check "backup of a stopped cluster writes a snapshot" 0 "backed up dynamodb pki into $HOME_DIR/backups/kumo-[0-9]{8}T[0-9]{6}Z.tar.gz"
first_time=$(sed -n 's/.*(or --to \([^)]*\)).*/\1/p' <<<"$OUT")
sleep 1.1 # a second snapshot in another second
echo second >"$HOME_DIR/dynamodb/shared-local-instance.db"
echo key-two >"$HOME_DIR/pki/sa.key"
run backup; check "a second backup" 0 'backed up'
echo third >"$HOME_DIR/dynamodb/shared-local-instance.db"

run restore --to "$first_time"
check "restore --to the first backup's time" 0 'restored .*kumo-.*tar.gz' 'replaced-'
if [[ $(cat "$HOME_DIR/dynamodb/shared-local-instance.db") == first && $(cat "$HOME_DIR/pki/sa.key") == key-one ]]; then
  pass "the first snapshot's data and keys are back"
else
  fail "the first snapshot's data and keys are back" "found $(cat "$HOME_DIR/dynamodb/shared-local-instance.db")"
fi
if grep -rqx third "$HOME_DIR"/backups/replaced-*/dynamodb/ 2>/dev/null; then pass "what a restore replaced is kept"; else fail "what a restore replaced is kept" "no replaced-*/dynamodb with the data"; fi
run restore --to latest
if [[ $RC == 0 && $(cat "$HOME_DIR/dynamodb/shared-local-instance.db") == second ]]; then pass "restore --to latest takes the newest"; else fail "restore --to latest takes the newest" "rc $RC"; fi
run restore --to 2001-01-01T00:00:00Z; check "restore before any backup fails" 1 'no backup in .* at or before'

# A running cluster (a process whose command line names the cluster's main class) refuses both.
bash -c 'sleep 300; :' dev.kumo.local.Main &
fake_pid=$!
STARTED_PIDS+=("$fake_pid")
echo "$fake_pid" >"$HOME_DIR/kumo.pid"
run backup;              check "backup refuses while the cluster runs" 1 "the cluster is running \(pid $fake_pid\)" 'down'
run restore --to latest; check "restore refuses while the cluster runs" 1 "the cluster is running \(pid $fake_pid\)"
if [[ $(cat "$HOME_DIR/dynamodb/shared-local-instance.db") == second ]]; then pass "a refused restore changes nothing"; else fail "a refused restore changes nothing" "data changed"; fi
kill "$fake_pid" 2>/dev/null || true
wait "$fake_pid" 2>/dev/null || true
rm -f "$HOME_DIR/kumo.pid"

# ---- lint ----------------------------------------------------------------------------------------
echo "  -- shellcheck"
if command -v shellcheck >/dev/null; then
  RC=0; OUT=$(cd "$ROOT" && shellcheck kumo .ci/run tests/cli/*.sh 2>&1) || RC=$?
  check "shellcheck finds nothing in kumo, .ci/run, tests/cli" 0
else
  skip "shellcheck" "not installed; ./kumo test installs it"
fi

# ---- summary ----------------------------------------------------------------------------------
echo
if ((FAILED > 0)); then
  echo "Failed: ${FAILED_NAMES[*]}"
fi
if ((SKIPPED > 0)); then
  echo "kumo-cli: $PASSED passed, $FAILED failed, $SKIPPED skipped"
else
  echo "kumo-cli: $PASSED passed, $FAILED failed"
fi
((FAILED == 0))
