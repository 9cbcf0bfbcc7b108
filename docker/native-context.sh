#!/usr/bin/env bash
# Lays out target/native-image/ for docker/Dockerfile.native: the executable (target/*-runner, from
# ./mvnw package -Pnative) as `application` with DuckDB's libduckdb_java.so beside it, and in lib/ the JDK shared libraries it links when it was built by
# ../shared/tools/native-image (read from the executable's RUNPATH; none for a real GraalVM or Mandrel build).
set -euo pipefail
cd "$(dirname "$0")/.."
runner=$(ls target/*-runner 2>/dev/null | head -1 || true)
[[ -n "$runner" ]] || { echo "docker/native-context.sh: no target/*-runner; run ./mvnw package -Pnative first" >&2; exit 1; }
rm -rf target/native-image
mkdir -p target/native-image/lib
cp "$runner" target/native-image/application
# DuckDB's JNI library, beside the executable (the native profile copied it out of duckdb_jdbc's jar).
[[ -f target/libduckdb_java.so ]] || { echo "docker/native-context.sh: no target/libduckdb_java.so" >&2; exit 1; }
cp target/libduckdb_java.so target/native-image/
runpath=$(readelf -d "$runner" | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]/\2/p' | head -1)
for dir in ${runpath//:/ }; do
  [[ -d "$dir" ]] && cp "$dir"/*.so target/native-image/lib/
done
echo "target/native-image: $(du -sh target/native-image | cut -f1) ($(ls target/native-image/lib | wc -l) libraries)"
