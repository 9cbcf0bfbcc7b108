#!/usr/bin/env bash
# -----------------------------------------------------------------------------
# docker/verify.sh — end-to-end check of the JVM or the native container
# image, with no image registry and no Docker engine: podman only.
#
#   sudo docker/verify.sh            (run as root, from anywhere): JVM image
#   sudo docker/verify.sh native     the native image (docker/Dockerfile.native)
#
# Native: step 4 builds the executable with ./mvnw package -Pnative and
# GRAALVM_HOME (else assembles one with ../shared/tools/native-image into
# $VERIFY_CACHE_DIR/graalvm-home), lays out its context with
# docker/native-context.sh and builds docker/Dockerfile.native on the same
# Debian base; the rest is the same check. The image must be smaller than the
# JVM image where one was verified before (localhost/duckload:jvm-verify).
#
# What it does:
#   1. installs what is missing (podman, buildah, runc, debootstrap, kcat, jq,
#      curl) with apt-get;
#   2. points podman at its own containers.conf (CONTAINERS_CONF, runc,
#      nofile/nproc ulimits) under the work dir — /etc is left alone;
#   3. builds two local images from the Debian mirror apt uses, once (later
#      runs reuse them and their tarballs cached in $VERIFY_CACHE_DIR):
#      localhost/duckload-os:local (debootstrap --variant=minbase bookworm, no
#      Java) and localhost/duckload-jdk:local (the same + openjdk-17-jdk-headless,
#      which has jlink and the jmods);
#   4. packages the app (./mvnw package -DskipTests) and builds
#      docker/Dockerfile.jvm with BASE_IMAGE=localhost/duckload-os:local and
#      JDK_IMAGE=localhost/duckload-jdk:local; fails if the image is larger
#      than VERIFY_MAX_IMAGE_MB;
#   5. starts a Kafka broker on the host with bin/kafka-broker.sh;
#   6. writes a synthetic taxi-trips parquet file for one month;
#   7. runs the container (--network=host, a named volume on /data, the source
#      directory mounted read-only), waits for /q/health/ready, sends a
#      PartitionRequested with kcat and waits for PartitionMaterialized
#      (checks rowsInserted);
#   8. stops the container and counts the month's rows in `trips` straight
#      from the DuckDB file in the volume;
#   9. prints measurements (image size, start-to-ready, RSS) and PASS/FAIL with
#      the duration, and cleans up (container, volume, broker, temp dirs) on
#      every exit.
#
# Environment (all optional):
#   VERIFY_ROWS=1000            rows in the generated month (3000000 for a load test)
#   VERIFY_MONTH=2023-01        month to load
#   VERIFY_KAFKA_PORT=29092     host port of the broker (and +1 for its controller)
#   VERIFY_HTTP_PORT=18080      host port of the app's HTTP server (host network)
#   VERIFY_CACHE_DIR=/var/cache/duckload-verify   base image tarball cache
#   VERIFY_SKIP_APP_BUILD=1     use the existing target/quarkus-app as is
#   VERIFY_REBUILD_BASE=1       rebuild the base images even if they exist
#   VERIFY_MAX_IMAGE_MB=250     largest image size accepted (MB of 10^6 bytes)
#   VERIFY_KEEP=1               keep the work dir (logs, database) for inspection
#   VERIFY_TIMEOUT=300          seconds to wait for the PartitionMaterialized event
# Exit status: 0 on PASS, 1 on FAIL.
# -----------------------------------------------------------------------------
set -euo pipefail

T0=$(date +%s.%N)
MODE="${1:-jvm}"
[[ $MODE == jvm || $MODE == native ]] || { echo "usage: docker/verify.sh [jvm|native]" >&2; exit 2; }
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${VERIFY_ROWS:-1000}"
MONTH="${VERIFY_MONTH:-2023-01}"
PARTITION="$MONTH-01"
KAFKA_PORT="${VERIFY_KAFKA_PORT:-29092}"
HTTP_PORT="${VERIFY_HTTP_PORT:-18080}"
CACHE="${VERIFY_CACHE_DIR:-/var/cache/duckload-verify}"
TIMEOUT="${VERIFY_TIMEOUT:-300}"
BASE_IMAGE=localhost/duckload-os:local
JDK_IMAGE=localhost/duckload-jdk:local
MAX_IMAGE_MB="${VERIFY_MAX_IMAGE_MB:-250}"
IMAGE=localhost/duckload:$MODE-verify
CONTAINER="duckload-verify-$$"
VOLUME="duckload-verify-data-$$"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
DUCKDB_VERSION=2.0.0.1

log()  { printf '[verify %s] %s\n' "$(date +%T)" "$*" >&2; }
die()  { log "ERROR: $*"; exit 1; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

[[ $(id -u) -eq 0 ]] || die "run as root (podman needs it here)"

WORK="$(mktemp -d /tmp/duckload-verify.XXXXXX)"
container_started=0
RESULT=FAIL

cleanup() {
  local rc=$?
  set +e
  if (( container_started )); then
    if [[ $RESULT != PASS ]]; then
      log "container log (last 60 lines):"
      podman logs --tail 60 "$CONTAINER" >&2 2>&1
    fi
    podman rm -f -v -t 5 "$CONTAINER" >/dev/null 2>&1
  fi
  podman volume rm -f "$VOLUME" >/dev/null 2>&1
  if [[ -f "$WORK/kafka/broker.pid" ]]; then
    [[ $RESULT != PASS ]] && { log "broker log (last 20 lines):"; tail -20 "$WORK/kafka/broker.log" >&2; }
    "$REPO/bin/kafka-broker.sh" stop "$WORK/kafka" >/dev/null 2>&1
  fi
  if [[ -n "${VERIFY_KEEP:-}" ]]; then
    log "work dir kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  echo
  echo "$RESULT (duration $(elapsed "$T0") s)"
  [[ $RESULT == PASS ]] && exit 0
  exit $(( rc == 0 ? 1 : rc ))
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. tools ---------------------------------------------------------------
need=()
for pair in podman:podman buildah:buildah runc:runc debootstrap:debootstrap \
            kcat:kcat jq:jq curl:curl iptables:iptables java:openjdk-17-jdk-headless; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if (( ${#need[@]} )); then
  log "installing ${need[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

# --- 2. podman configuration ------------------------------------------------
cat >"$WORK/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"

# --- 3. base image ----------------------------------------------------------
debian_mirror() {
  local url
  url=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -m1 '/debian/\?$' || true)
  [[ -z "$url" ]] && url=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                           | awk '{print $2}' | grep -m1 '/debian/\?$' || true)
  echo "${url:-http://deb.debian.org/debian}"
}

# build_base <image> <cache name> [packages]: a Debian bookworm minbase rootfs
# with the packages, imported as <image>.
build_base() {
  local image=$1 name=$2 include=${3:-}
  if [[ -n "${VERIFY_REBUILD_BASE:-}" ]]; then
    podman rmi -f "$image" >/dev/null 2>&1 || true
    rm -f "$CACHE/$name.tar"
  fi
  podman image exists "$image" && return 0
  mkdir -p "$CACHE"
  if [[ ! -s "$CACHE/$name.tar" ]]; then
    local mirror rootfs="$WORK/rootfs-$name"
    mirror=$(debian_mirror)
    log "building $name rootfs with debootstrap from $mirror (a minute or two)"
    debootstrap --variant=minbase ${include:+--include=$include} \
      bookworm "$rootfs" "$mirror" >"$WORK/debootstrap-$name.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap-$name.log" >&2; die "debootstrap failed"; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
           "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
    tar -C "$rootfs" --numeric-owner -cf "$CACHE/$name.tar.tmp" .
    mv "$CACHE/$name.tar.tmp" "$CACHE/$name.tar"
    rm -rf "$rootfs"
  fi
  log "importing $image"
  podman import --change 'CMD ["/bin/bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$CACHE/$name.tar" "$image" >"$WORK/import-$name.log" 2>&1 \
    || { cat "$WORK/import-$name.log" >&2; die "podman import failed"; }
}
build_base "$BASE_IMAGE" duckload-os
build_base "$JDK_IMAGE" duckload-jdk openjdk-17-jdk-headless

# --- 4. application and image -----------------------------------------------
build_jvm_image() {
  if [[ -z "${VERIFY_SKIP_APP_BUILD:-}" ]]; then
    log "packaging the application (./mvnw package -DskipTests)"
    (cd "$REPO" && ./mvnw -q -B package -DskipTests) >"$WORK/mvn.log" 2>&1 \
      || { tail -40 "$WORK/mvn.log" >&2; die "application build failed"; }
  fi
  [[ -f "$REPO/target/quarkus-app/quarkus-run.jar" ]] || die "no target/quarkus-app/quarkus-run.jar"
  log "building $IMAGE from docker/Dockerfile.jvm"
  podman build --pull=never --format docker -f "$REPO/docker/Dockerfile.jvm" \
    --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg JDK_IMAGE="$JDK_IMAGE" -t "$IMAGE" "$REPO" >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "image build failed"; }
}

build_native_image() {
  if [[ -z "${VERIFY_SKIP_APP_BUILD:-}" ]]; then
    local graalvm="${GRAALVM_HOME:-}"
    if [[ -z "$graalvm" ]]; then
      graalvm="$CACHE/graalvm-home"
      if [[ ! -x "$graalvm/bin/native-image" ]]; then
        [[ -f "$REPO/../shared/tools/native-image/build-home.sh" ]] || die "no GRAALVM_HOME and no ../shared/tools/native-image"
        log "assembling native-image in $graalvm (2-3 min)"
        SMOKE=0 bash "$REPO/../shared/tools/native-image/build-home.sh" "$graalvm" >"$WORK/graalvm.log" 2>&1 \
          || { tail -20 "$WORK/graalvm.log" >&2; die "build-home.sh failed"; }
      fi
    fi
    log "building the native executable (./mvnw package -Pnative -DskipTests; several minutes)"
    (cd "$REPO" && ./mvnw -q -B package -Pnative -DskipTests "-Dquarkus.native.graalvm-home=$graalvm") \
      >"$WORK/mvn.log" 2>&1 || { tail -40 "$WORK/mvn.log" >&2; die "native build failed"; }
  fi
  "$REPO/docker/native-context.sh" >&2 || die "no native executable"
  log "building $IMAGE from docker/Dockerfile.native"
  podman build --pull=never --format docker -f "$REPO/docker/Dockerfile.native" \
    --ignorefile "$REPO/docker/Dockerfile.native.dockerignore" \
    --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$IMAGE" "$REPO" >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "image build failed"; }
}

old_image=$(podman image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
t=$(date +%s.%N)
"build_${MODE}_image"
log "image built in $(elapsed "$t") s"
new_image=$(podman image inspect -f '{{.Id}}' "$IMAGE")
# drop the previous run's image (now untagged) so repeated runs do not pile up
if [[ -n "$old_image" && "$old_image" != "$new_image" ]]; then
  podman rmi "$old_image" >/dev/null 2>&1 || true
fi
IMAGE_SIZE=$(podman image ls --format '{{.Size}}' "$IMAGE" | head -1)
BASE_SIZE=$(podman image ls --format '{{.Size}}' "$BASE_IMAGE" | head -1)
IMAGE_MB=$(( $(podman image inspect -f '{{.Size}}' "$IMAGE") / 1000000 ))
log "image $IMAGE_SIZE ($IMAGE_MB MB), base $BASE_SIZE"
(( IMAGE_MB <= MAX_IMAGE_MB )) || die "image is $IMAGE_MB MB, more than VERIFY_MAX_IMAGE_MB=$MAX_IMAGE_MB"
JVM_IMAGE_MB=""
if [[ $MODE == native ]] && podman image exists localhost/duckload:jvm-verify; then
  JVM_IMAGE_MB=$(( $(podman image inspect -f '{{.Size}}' localhost/duckload:jvm-verify) / 1000000 ))
  (( IMAGE_MB < JVM_IMAGE_MB )) || die "native image is $IMAGE_MB MB, not smaller than the JVM image's $JVM_IMAGE_MB MB"
fi

# --- 5. Kafka ---------------------------------------------------------------
log "starting Kafka on $BOOTSTRAP"
"$REPO/bin/kafka-broker.sh" start "$WORK/kafka" "$KAFKA_PORT" 2>"$WORK/kafka-start.log" \
  || { cat "$WORK/kafka-start.log" >&2; die "Kafka did not start"; }

# --- 6. source file ---------------------------------------------------------
DUCKDB_JAR="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}/org/duckdb/duckdb_jdbc/$DUCKDB_VERSION/duckdb_jdbc-$DUCKDB_VERSION.jar"
if [[ ! -f "$DUCKDB_JAR" ]]; then
  mvn -q -B dependency:get -Dartifact="org.duckdb:duckdb_jdbc:$DUCKDB_VERSION" >/dev/null
fi
ducktool() { java -Djava.io.tmpdir="$WORK" -cp "$DUCKDB_JAR" "$REPO/docker/verify/DuckTool.java" "$@"; }
mkdir -p "$WORK/sources"
src_file="$WORK/sources/yellow_tripdata_$MONTH.parquet"
log "generating $ROWS rows for $MONTH"
ducktool gen "$src_file" "$MONTH" "$ROWS" >/dev/null
chmod 0755 "$WORK" "$WORK/sources"; chmod 0644 "$src_file"

# --- 7. run the container ---------------------------------------------------
podman volume create "$VOLUME" >/dev/null
log "starting container $CONTAINER"
t_start=$(date +%s.%N)
podman run -d --name "$CONTAINER" --network=host \
  -v "$VOLUME:/data" \
  -v "$WORK/sources:/sources:ro" \
  -e KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" \
  -e QUARKUS_HTTP_PORT="$HTTP_PORT" \
  -e DUCKLOAD_DATABASE=/data/duckload.duckdb \
  -e DUCKLOAD_STAGING_DIR=/tmp/duckload-staging \
  -e 'DUCKLOAD_DATASETS_TAXI_TRIPS_SOURCE=/sources/yellow_tripdata_{YYYY-MM}.parquet' \
  "$IMAGE" >"$WORK/run.log" 2>&1 || { cat "$WORK/run.log" >&2; die "podman run failed"; }
# (podman logs errors about systemd healthcheck timers here: there is no
# systemd; the HEALTHCHECK is exercised below with `podman healthcheck run`.)
container_started=1

ready_url="http://127.0.0.1:$HTTP_PORT/q/health/ready"
until curl -fsS -o /dev/null "$ready_url" 2>/dev/null; do
  [[ "$(podman inspect -f '{{.State.Running}}' "$CONTAINER")" == true ]] || die "container exited"
  (( $(date +%s) - ${t_start%.*} > 120 )) && die "not ready after 120 s: $(curl -s "$ready_url")"
  sleep 0.2
done
READY_S=$(elapsed "$t_start")
log "ready after $READY_S s"
pid=$(podman inspect -f '{{.State.Pid}}' "$CONTAINER")
rss_mb() { awk -v k="$1:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
sleep 10
RSS_IDLE=$(rss_mb VmRSS)
log "idle RSS ${RSS_IDLE} MiB"
if podman healthcheck run "$CONTAINER" >/dev/null 2>&1; then HEALTH=healthy; else die "image HEALTHCHECK reports unhealthy while /q/health/ready is UP"; fi

# --- 8. request and wait for the event ---------------------------------------
log "requesting taxi_trips/$PARTITION"
t_req=$(date +%s.%N)
printf '{"dataset":"taxi_trips","partition":"%s"}\n' "$PARTITION" \
  | kcat -b "$BOOTSTRAP" -t partition-requested -P -k "taxi_trips/$PARTITION"

event=""
deadline=$(( $(date +%s) + TIMEOUT ))
while [[ -z "$event" ]]; do
  (( $(date +%s) > deadline )) && die "no PartitionMaterialized within $TIMEOUT s"
  [[ "$(podman inspect -f '{{.State.Running}}' "$CONTAINER")" == true ]] || die "container exited"
  failed=$(timeout 10 kcat -b "$BOOTSTRAP" -t partition-failed -C -o beginning -e -q 2>/dev/null || true)
  [[ -n "$failed" ]] && die "PartitionFailed: $failed"
  event=$(timeout 10 kcat -b "$BOOTSTRAP" -t partition-materialized -C -o beginning -e -q 2>/dev/null \
          | jq -c --arg p "$PARTITION" 'select(.dataset == "taxi_trips" and (.partition == $p or .partition == ($p | .[0:7])))' 2>/dev/null \
          | tail -1 || true)
  [[ -z "$event" ]] && sleep 1
done
LOAD_S=$(elapsed "$t_req")
RSS_AFTER=$(rss_mb VmRSS)
RSS_PEAK=$(rss_mb VmHWM)
log "PartitionMaterialized after $LOAD_S s: $event"
rows_inserted=$(jq -r '.rowsInserted' <<<"$event")
[[ "$rows_inserted" == "$ROWS" ]] || die "rowsInserted=$rows_inserted, expected $ROWS"

# --- 9. check the DuckDB file in the volume -----------------------------------
log "stopping container"
podman stop -t 30 "$CONTAINER" >/dev/null 2>&1
mountpoint=$(podman volume inspect -f '{{.Mountpoint}}' "$VOLUME")
db="$mountpoint/duckload.duckdb"
[[ -f "$db" ]] || die "no DuckDB file at $db"
DB_SIZE=$(du -h "$db" | cut -f1)
count=$(ducktool query "$db" "select count(*) from trips where partition_date = '$MONTH'")
log "trips rows for $MONTH in $db: $count"
[[ "$count" == "$ROWS" ]] || die "trips has $count rows for $MONTH, expected $ROWS"

cat <<EOF

measurements
  image $IMAGE: $IMAGE_SIZE, $IMAGE_MB MB (limit $MAX_IMAGE_MB${JVM_IMAGE_MB:+; JVM image $JVM_IMAGE_MB MB}; base $BASE_IMAGE: $BASE_SIZE)
  start to /q/health/ready UP: $READY_S s (podman run -d .. ready, $MODE)
  HEALTHCHECK (podman healthcheck run): $HEALTH
  RSS idle (10 s after ready): $RSS_IDLE MiB
  load of $ROWS rows: $LOAD_S s request-to-event; RSS after load $RSS_AFTER MiB, peak (VmHWM) $RSS_PEAK MiB
  DuckDB file: $DB_SIZE
EOF
RESULT=PASS
