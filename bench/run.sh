#!/usr/bin/env bash
# Builds the benchmark jar and runs the scenarios; writes bench/results/<date>.md.
# Usage: bench/run.sh [hello|stream|sse|ws|soak ...] [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk h2load curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk nghttp2-client curl)" >&2; exit 2; }
done
mvn -B -q package -DskipTests -pl bench -am
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java -Xmx4g -jar bench/target/pagi-bench.jar "$@"
