# Pinned versions of the tools the scripts install; sourced by the other scripts.
OPA_VERSION=1.22.0
MOTO_VERSION=5.2.5
# Benchmark comparison only (scripts/install-bench-tools.sh; not part of CI).
CONFTEST_VERSION=0.71.1
CHECKOV_VERSION=3.3.30
